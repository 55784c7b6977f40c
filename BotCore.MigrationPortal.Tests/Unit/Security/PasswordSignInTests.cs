using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static BotCore.MigrationPortal.Tests.Support.SecurityTestUsers;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

public sealed class PasswordSignInTests
{
    private const string Guesser = "203.0.113.66";
    private const string Office = "10.0.0.7";
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider time = new(Start);
    private readonly RecordingAuditLog audit = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private PasswordSignIn SignIn(IUserStore store, IPasswordHasher<PortalUser>? hasher = null) =>
        new(store, hasher ?? Hasher, new UnknownUserHash(hasher ?? Hasher), audit, LockoutPolicy.Default, time, NullLogger<PasswordSignIn>.Instance);

    private static Task<SignInAttempt> Attempt(PasswordSignIn signIn, string name, string password, string from = Office) =>
        signIn.AttemptAsync(name, password, from, Token);

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
    public async Task A_wrong_password_is_refused_counted_and_audited_with_the_reason_but_never_the_password()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver));

        var attempt = await Attempt(SignIn(store), "alice", "not the password");

        Assert.Same(SignInAttempt.Failure, attempt);
        Assert.Equal(1, (await store.FindAsync("alice", Token))!.FailedAttempts);
        var record = Assert.Single(audit.Records);
        Assert.Equal((AuditActions.SignInFailed, "alice", "Approver"), (record.Action, record.User, record.Role));
        Assert.Contains("wrong password (failed attempt 1 of 5)", record.Details);
        Assert.DoesNotContain("not the password", record.Details);
    }

    [Fact]
    public async Task Unknown_name_wrong_password_locked_and_disabled_all_get_the_one_answer()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver), User("dora", Role.Approver, disabled: true), User("lena", Role.Approver));
        var signIn = SignIn(store);
        for (var i = 1; i <= 5; i++) await Attempt(signIn, "lena", $"guess {i}");

        var outcomes = new[]
        {
            await Attempt(signIn, "mallory", Password),
            await Attempt(signIn, "alice", "not the password"),
            await Attempt(signIn, "lena", Password),
            await Attempt(signIn, "dora", Password),
        };

        Assert.All(outcomes, outcome => Assert.Same(SignInAttempt.Failure, outcome));
        Assert.Equal(["unknown user", "wrong password", "account locked for 10.0.0.7", "account disabled"],
            audit.Records.TakeLast(4).Select(r => string.Join(' ', r.Details.Split(' ').Take(r.Details.StartsWith("account locked", StringComparison.Ordinal) ? 4 : 2))));
        Assert.Equal(("mallory", "none"), (audit.Records[^4].User, audit.Records[^4].Role));
    }

    [Fact]
    public async Task Every_attempt_verifies_one_password_whatever_its_outcome_so_its_timing_tells_nothing()
    {
        var counting = new CountingHasher();
        var store = await StoreWithAsync(User("alice", Role.Approver), User("dora", Role.Approver, disabled: true));
        var signIn = SignIn(store, counting);
        for (var i = 1; i <= 5; i++) await Attempt(signIn, "alice", $"guess {i}");

        foreach (var (name, password) in new[] { ("mallory", Password), ("alice", Password), ("alice", "nope"), ("dora", Password), ("x\r\ny", Password) })
        {
            var before = counting.Verifications;
            await Attempt(signIn, name, password);
            Assert.Equal(before + 1, counting.Verifications);
        }
    }

    [Fact]
    public async Task An_absurdly_long_unknown_name_is_cut_in_the_audit_log()
    {
        var signIn = SignIn(new InMemoryUserStore());

        await Attempt(signIn, new string('x', 10_000), Password);

        Assert.Equal(UserNamePolicy.MaximumLength + 1, audit.Records.Single().User.Length);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes_for_the_address_that_gave_them()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver));
        var signIn = SignIn(store);

        for (var i = 1; i <= 5; i++)
        {
            await Attempt(signIn, "alice", $"guess {i}", Guesser);
            time.Advance(TimeSpan.FromSeconds(10));
        }
        var locked = (await store.FindAsync("alice", Token))!;
        Assert.Equal(Start.UtcDateTime + TimeSpan.FromSeconds(40) + TimeSpan.FromMinutes(15), locked.LockedUntil);
        Assert.Equal([Guesser], locked.FailingClients.Distinct());

        time.Advance(TimeSpan.FromMinutes(13));
        Assert.False((await Attempt(signIn, "alice", Password, Guesser)).Succeeded);
        Assert.Contains($"account locked for {Guesser} until", audit.Records[^1].Details);
    }

    [Fact]
    public async Task An_anonymous_guesser_cannot_lock_the_owner_out_the_right_password_from_another_address_still_signs_in()
    {
        var store = await StoreWithAsync(User("ada", Role.Admin));
        var signIn = SignIn(store);
        for (var i = 1; i <= 20; i++) await Attempt(signIn, "ada", $"guess {i}", Guesser);

        var owner = await Attempt(signIn, "ada", Password, Office);

        Assert.True(owner.Succeeded);
        // The owner's sign-in does not reopen the account to the guesser.
        var ada = (await store.FindAsync("ada", Token))!;
        Assert.True(LockoutPolicy.IsLockedFor(ada, Guesser, time.GetUtcNow().UtcDateTime));
        Assert.False((await Attempt(signIn, "ada", Password, Guesser)).Succeeded);
        Assert.Contains("while the account is locked for", audit.Records.Single(r => r.Action == AuditActions.SignIn).Details);
    }

    [Fact]
    public async Task A_wrong_password_from_a_clean_address_while_locked_locks_that_address_too()
    {
        var store = await StoreWithAsync(User("ada", Role.Admin));
        var signIn = SignIn(store);
        for (var i = 1; i <= 5; i++) await Attempt(signIn, "ada", $"guess {i}", Guesser);

        await Attempt(signIn, "ada", "typo", Office);

        Assert.False((await Attempt(signIn, "ada", Password, Office)).Succeeded);
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
        Assert.Equal((0, null, 0), (user.FailedAttempts, user.LockedUntil, user.FailingClients.Count));
    }

    [Fact]
    public async Task After_the_lock_runs_out_one_more_wrong_password_does_not_lock_again()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver));
        var signIn = SignIn(store);
        for (var i = 1; i <= 5; i++) await Attempt(signIn, "alice", $"guess {i}");

        time.Advance(TimeSpan.FromMinutes(16));
        await Attempt(signIn, "alice", "guess 6");

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
        await Attempt(signIn, "alice", "guess 5");

        Assert.Equal(1, (await store.FindAsync("alice", Token))!.FailedAttempts);
    }

    [Fact]
    public async Task A_disabled_user_with_the_right_password_is_refused_and_the_audit_log_says_why()
    {
        var store = await StoreWithAsync(User("alice", Role.Approver, disabled: true));

        var attempt = await Attempt(SignIn(store), "alice", Password);

        Assert.False(attempt.Succeeded);
        var record = Assert.Single(audit.Records);
        Assert.Equal(AuditActions.SignInFailed, record.Action);
        Assert.Contains("account disabled", record.Details);
    }

    private sealed class CountingHasher : IPasswordHasher<PortalUser>
    {
        public int Verifications { get; private set; }

        public string HashPassword(PortalUser user, string password) => Hasher.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(PortalUser user, string hashedPassword, string providedPassword)
        {
            Verifications++;
            return Hasher.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
