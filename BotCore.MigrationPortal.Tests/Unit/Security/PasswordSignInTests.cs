using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static BotCore.MigrationPortal.Tests.Support.SecurityTestUsers;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

public sealed class PasswordSignInTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider time = new(Start);
    private readonly RecordingAuditLog audit = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private PasswordSignIn SignIn(IUserStore store) =>
        new(store, Hasher, audit, LockoutPolicy.Default, time, NullLogger<PasswordSignIn>.Instance);

    private static Task<SignInAttempt> Attempt(PasswordSignIn signIn, string name, string password) =>
        signIn.AttemptAsync(name, password, "10.0.0.7", Token);

    [Fact]
    public async Task The_right_password_signs_in_and_is_audited()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver));

        var attempt = await Attempt(SignIn(store), "alice", Password);

        Assert.True(attempt.Succeeded);
        Assert.Equal(("alice", Role.Approver), (attempt.User!.Name, attempt.User.Role));
        var record = Assert.Single(audit.Records);
        Assert.Equal((AuditActions.SignIn, "alice", "Approver"), (record.Action, record.User, record.Role));
        Assert.Equal("signed in from 10.0.0.7", record.Details);
    }

    [Fact]
    public async Task The_name_is_compared_without_regard_to_case()
    {
        var store = await StoreWithAsync(User("Alice", Role.Approver));

        var attempt = await Attempt(SignIn(store), "ALICE", Password);

        Assert.True(attempt.Succeeded);
        Assert.Equal("Alice", attempt.User!.Name);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_counted_and_audited_with_the_reason()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver));

        var attempt = await Attempt(SignIn(store), "alice", "not the password");

        Assert.Equal(SignInError.WrongNameOrPassword, attempt.Error);
        Assert.Null(attempt.User);
        Assert.Equal(1, (await store.FindAsync("alice", Token))!.FailedAttempts);
        var record = Assert.Single(audit.Records);
        Assert.Equal((AuditActions.SignInFailed, "alice", "Approver"), (record.Action, record.User, record.Role));
        Assert.Contains("wrong password (failed attempt 1 of 5)", record.Details);
        Assert.DoesNotContain("not the password", record.Details);
    }

    [Fact]
    public async Task An_unknown_user_gets_the_same_answer_as_a_wrong_password_and_is_audited_without_a_role()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver));
        var signIn = SignIn(store);

        var unknown = await Attempt(signIn, "mallory", Password);
        var wrong = await Attempt(signIn, "alice", "not the password");

        Assert.Equal(wrong, unknown);
        Assert.Equal(
            SignInMessages.For(wrong.Error!.Value, wrong.LockedUntil, Start),
            SignInMessages.For(unknown.Error!.Value, unknown.LockedUntil, Start));
        var record = audit.Records[0];
        Assert.Equal((AuditActions.SignInFailed, "mallory", "none"), (record.Action, record.User, record.Role));
        Assert.Contains("unknown user", record.Details);
    }

    [Fact]
    public async Task An_absurdly_long_unknown_name_is_cut_in_the_audit_log()
    {
        var signIn = SignIn(new InMemoryUserStore());

        await Attempt(signIn, new string('x', 10_000), Password);

        Assert.Equal(UserNamePolicy.MaximumLength + 1, audit.Records.Single().User.Length);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes_even_against_the_right_password()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver));
        var signIn = SignIn(store);

        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(SignInError.WrongNameOrPassword, (await Attempt(signIn, "alice", $"guess {i}")).Error);
            time.Advance(TimeSpan.FromSeconds(10));
        }
        var fifth = await Attempt(signIn, "alice", "guess 5");
        var lockedAt = time.GetUtcNow();

        Assert.Equal(SignInError.LockedOut, fifth.Error);
        Assert.Equal(lockedAt.UtcDateTime + TimeSpan.FromMinutes(15), fifth.LockedUntil);
        Assert.Contains("account locked until", audit.Records[^1].Details);

        time.Advance(TimeSpan.FromMinutes(14));
        var whileLocked = await Attempt(signIn, "alice", Password);
        Assert.Equal(SignInError.LockedOut, whileLocked.Error);
        Assert.Equal(fifth.LockedUntil, whileLocked.LockedUntil);
        Assert.Contains("account locked until", audit.Records[^1].Details);
        Assert.Equal(5, (await store.FindAsync("alice", Token))!.FailedAttempts);
    }

    [Fact]
    public async Task After_the_lock_runs_out_the_right_password_signs_in_and_the_count_starts_again()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver));
        var signIn = SignIn(store);
        for (var i = 1; i <= 5; i++) await Attempt(signIn, "alice", $"guess {i}");

        time.Advance(TimeSpan.FromMinutes(15));
        var attempt = await Attempt(signIn, "alice", Password);

        Assert.True(attempt.Succeeded);
        var user = (await store.FindAsync("alice", Token))!;
        Assert.Equal((0, null), (user.FailedAttempts, user.LockedUntil));
    }

    [Fact]
    public async Task After_the_lock_runs_out_one_more_wrong_password_does_not_lock_again()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver));
        var signIn = SignIn(store);
        for (var i = 1; i <= 5; i++) await Attempt(signIn, "alice", $"guess {i}");

        time.Advance(TimeSpan.FromMinutes(16));
        var attempt = await Attempt(signIn, "alice", "guess 6");

        Assert.Equal(SignInError.WrongNameOrPassword, attempt.Error);
        var user = (await store.FindAsync("alice", Token))!;
        Assert.Equal((1, null), (user.FailedAttempts, user.LockedUntil));
    }

    [Fact]
    public async Task A_successful_sign_in_forgets_earlier_failures()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver));
        var signIn = SignIn(store);
        for (var i = 1; i <= 4; i++) await Attempt(signIn, "alice", $"guess {i}");

        Assert.True((await Attempt(signIn, "alice", Password)).Succeeded);
        Assert.Equal(SignInError.WrongNameOrPassword, (await Attempt(signIn, "alice", "guess 5")).Error);

        Assert.Equal(1, (await store.FindAsync("alice", Token))!.FailedAttempts);
    }

    [Fact]
    public async Task A_disabled_user_with_the_right_password_is_told_the_account_is_disabled()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver, disabled: true));

        var attempt = await Attempt(SignIn(store), "alice", Password);

        Assert.Equal(SignInError.Disabled, attempt.Error);
        var record = Assert.Single(audit.Records);
        Assert.Equal(AuditActions.SignInFailed, record.Action);
        Assert.Contains("account disabled", record.Details);
    }

    [Fact]
    public async Task A_disabled_user_with_a_wrong_password_learns_nothing_about_the_account()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver, disabled: true));

        var attempt = await Attempt(SignIn(store), "alice", "not the password");

        Assert.Equal(SignInError.WrongNameOrPassword, attempt.Error);
    }
}
