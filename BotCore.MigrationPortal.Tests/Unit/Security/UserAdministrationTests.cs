using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static BotCore.MigrationPortal.Tests.Support.SecurityTestUsers;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

public sealed class UserAdministrationTests
{
    private static readonly Caller Ada = new UserCaller("ada");
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider time = new(Now);
    private readonly RecordingAuditLog audit = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private UserAdministration Administration(IUserStore store) =>
        new(store, TestAuthorization.Over(store, audit, time), TestAuthorization.Sessions(store, time), Hasher, audit, time, NullLogger<UserAdministration>.Instance);

    private static Task<InMemoryUserStore> Team() =>
        StoreWithAsync(User("ada", Role.Admin), User("alice", Role.Approver), User("olga", Role.Operator));

    public static TheoryData<string> Actions => ["list", "create", "change role", "reset password", "unlock", "disable", "enable"];

    private static Task Invoke(UserAdministration administration, Caller actor, string action) => action switch
    {
        "list" => administration.ListAsync(actor, Token),
        "create" => administration.CreateAsync(actor, new NewUserRequest("carol", Role.Viewer, "a long enough password"), Token),
        "change role" => administration.ChangeRoleAsync(actor, "olga", Role.Admin, Token),
        "reset password" => administration.ResetPasswordAsync(actor, "olga", "a long enough password", Token),
        "unlock" => administration.UnlockAsync(actor, "olga", Token),
        "disable" => administration.SetDisabledAsync(actor, "olga", true, Token),
        "enable" => administration.SetDisabledAsync(actor, "olga", false, Token),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Every_action_is_refused_below_Admin_and_changes_nothing(string action)
    {
        var store = await Team();
        var before = await store.ListAsync(Token);
        var administration = Administration(store);

        foreach (var role in new[] { Role.Viewer, Role.Operator, Role.Approver })
        {
            var alice = (await store.FindAsync("alice", Token))! with { Role = role };
            await store.ReplaceAsync(alice, Token);
            var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => Invoke(administration, new UserCaller("alice"), action));
            Assert.Contains("it needs the Admin role", refused.Message);
            before = before.Select(u => u.Id == alice.Id ? alice : u).ToList();
        }

        Assert.Equal(before, await store.ListAsync(Token));
        Assert.All(audit.Records, record => Assert.Equal((AuditActions.ActionRefused, "alice"), (record.Action, record.User)));
        Assert.Equal(["Viewer", "Operator", "Approver"], audit.Records.Select(r => r.Role));
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Every_action_is_allowed_to_an_Admin(string action)
    {
        var administration = Administration(await Team());

        await Invoke(administration, Ada, action);
    }

    [Fact]
    public async Task An_Admin_adds_a_user_whose_password_is_hashed_and_the_addition_is_audited_without_it()
    {
        var store = await Team();

        var user = await Administration(store).CreateAsync(Ada, new NewUserRequest("carol", Role.Operator, "quiet harbour lanterns"), Token);

        var stored = (await store.FindAsync("carol", Token))!;
        Assert.Equal(user, stored);
        Assert.Equal((Role.Operator, "ada", Now.UtcDateTime, false, 0), (stored.Role, stored.CreatedBy, stored.CreatedAt, stored.Disabled, stored.FailedAttempts));
        Assert.NotEqual(PasswordVerificationResult.Failed, Hasher.VerifyHashedPassword(stored, stored.PasswordHash, "quiet harbour lanterns"));
        var record = Assert.Single(audit.Records);
        Assert.Equal((AuditActions.UserCreated, "ada", "Admin", "added carol as Operator"), (record.Action, record.User, record.Role, record.Details));
    }

    [Theory]
    [InlineData("olga")]
    [InlineData("OLGA")]
    public async Task A_taken_name_is_refused_whatever_its_case(string name)
    {
        var administration = Administration(await Team());

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            administration.CreateAsync(Ada, new NewUserRequest(name, Role.Viewer, "a long enough password"), Token));

        Assert.Contains($"A user named '{name}' already exists", refused.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("eleven char")]
    public async Task A_password_under_twelve_characters_is_refused(string password)
    {
        var store = await Team();
        var administration = Administration(store);

        var onCreate = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            administration.CreateAsync(Ada, new NewUserRequest("carol", Role.Viewer, password), Token));
        var onReset = await Assert.ThrowsAsync<ActionRefusedException>(() => administration.ResetPasswordAsync(Ada, "olga", password, Token));

        Assert.StartsWith("A password needs at least 12 characters.", onCreate.Message);
        Assert.Equal(onCreate.Message, onReset.Message);
        Assert.Null(await store.FindAsync("carol", Token));
    }

    [Fact]
    public async Task Twelve_characters_are_enough() =>
        await Administration(await Team()).CreateAsync(Ada, new NewUserRequest("carol", Role.Viewer, "twelve chars"), Token);

    [Theory]
    [InlineData("")]
    [InlineData("-dash-first")]
    [InlineData("with space")]
    [InlineData("<script>")]
    public async Task A_name_that_is_not_plain_is_refused(string name)
    {
        var administration = Administration(await StoreWithAsync(User("ada", Role.Admin)));

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            administration.CreateAsync(Ada, new NewUserRequest(name, Role.Viewer, "a long enough password"), Token));

        Assert.StartsWith("A name has 1 to 64 letters", refused.Message);
    }

    [Fact]
    public async Task A_role_change_is_stored_and_audited_from_and_to()
    {
        var store = await Team();

        await Administration(store).ChangeRoleAsync(Ada, "olga", Role.Approver, Token);

        Assert.Equal(Role.Approver, (await store.FindAsync("olga", Token))!.Role);
        var record = Assert.Single(audit.Records);
        Assert.Equal((AuditActions.UserChanged, "olga: role Operator → Approver; their sessions ended"), (record.Action, record.Details));
    }

    [Fact]
    public async Task A_password_reset_lets_the_user_sign_in_with_the_new_one_and_the_audit_never_holds_it()
    {
        var store = await Team();

        await Administration(store).ResetPasswordAsync(Ada, "olga", "amber fjord pebbles", Token);

        var olga = (await store.FindAsync("olga", Token))!;
        Assert.NotEqual(PasswordVerificationResult.Failed, Hasher.VerifyHashedPassword(olga, olga.PasswordHash, "amber fjord pebbles"));
        Assert.Equal(PasswordVerificationResult.Failed, Hasher.VerifyHashedPassword(olga, olga.PasswordHash, Password));
        var record = Assert.Single(audit.Records);
        Assert.Equal("olga: password reset; their sessions ended", record.Details);
    }

    [Fact]
    public async Task Unlocking_lifts_the_lock_and_forgets_the_failures()
    {
        var store = await StoreWithAsync(User("ada", Role.Admin),
            User("olga", Role.Operator) with { FailedAttempts = 5, LockedUntil = Now.UtcDateTime.AddMinutes(10) });

        await Administration(store).UnlockAsync(Ada, "olga", Token);

        var olga = (await store.FindAsync("olga", Token))!;
        Assert.Equal((0, null), (olga.FailedAttempts, olga.LockedUntil));
        Assert.Contains("olga: unlocked (locked until 2026-03-02 09:10:00Z, 5 failed sign-ins forgotten)", audit.Records.Single().Details);
    }

    [Fact]
    public async Task Disabling_and_enabling_are_stored_and_audited()
    {
        var store = await Team();
        var administration = Administration(store);

        await administration.SetDisabledAsync(Ada, "olga", true, Token);
        Assert.True((await store.FindAsync("olga", Token))!.Disabled);
        await administration.SetDisabledAsync(Ada, "olga", false, Token);
        Assert.False((await store.FindAsync("olga", Token))!.Disabled);

        Assert.Equal(["olga: disabled; their sessions ended", "olga: enabled"], audit.Records.Select(r => r.Details));
    }

    [Fact]
    public async Task The_last_enabled_Admin_cannot_be_demoted()
    {
        var store = await Team();

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => Administration(store).ChangeRoleAsync(Ada, "ada", Role.Approver, Token));

        Assert.Contains("ada is the only enabled Admin", refused.Message);
        Assert.Equal(Role.Admin, (await store.FindAsync("ada", Token))!.Role);
        Assert.Equal(AuditActions.ActionRefused, Assert.Single(audit.Records).Action);
    }

    [Fact]
    public async Task The_last_enabled_Admin_cannot_be_disabled()
    {
        var store = await Team();

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => Administration(store).SetDisabledAsync(Ada, "ada", true, Token));

        Assert.Contains("ada is the only enabled Admin", refused.Message);
        Assert.False((await store.FindAsync("ada", Token))!.Disabled);
    }

    [Fact]
    public async Task A_disabled_Admin_does_not_count_as_another_Admin()
    {
        var store = await StoreWithAsync(User("ada", Role.Admin), User("grace", Role.Admin, disabled: true));

        await Assert.ThrowsAsync<ActionRefusedException>(() => Administration(store).ChangeRoleAsync(Ada, "ada", Role.Viewer, Token));
    }

    [Fact]
    public async Task With_another_enabled_Admin_an_Admin_can_be_demoted_and_disabled()
    {
        var store = await StoreWithAsync(User("ada", Role.Admin), User("grace", Role.Admin));
        var administration = Administration(store);

        await administration.ChangeRoleAsync(Ada, "grace", Role.Approver, Token);
        await administration.ChangeRoleAsync(Ada, "grace", Role.Admin, Token);
        await administration.SetDisabledAsync(Ada, "grace", true, Token);

        Assert.True((await store.FindAsync("grace", Token))!.Disabled);
        await Assert.ThrowsAsync<ActionRefusedException>(() => administration.SetDisabledAsync(Ada, "ada", true, Token));
    }

    [Fact]
    public async Task An_action_on_someone_who_does_not_exist_says_so()
    {
        var administration = Administration(await StoreWithAsync(User("ada", Role.Admin)));

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => administration.UnlockAsync(Ada, "ghost", Token));

        Assert.Equal("There is no user named 'ghost': reload the page.", refused.Message);
    }

    [Fact]
    public async Task Changing_nothing_records_nothing()
    {
        var administration = Administration(await Team());

        await administration.ChangeRoleAsync(Ada, "olga", Role.Operator, Token);
        await administration.SetDisabledAsync(Ada, "olga", false, Token);
        await administration.UnlockAsync(Ada, "olga", Token);

        Assert.Empty(audit.Records);
    }

    [Theory]
    [InlineData("change role")]
    [InlineData("reset password")]
    [InlineData("disable")]
    [InlineData("end sessions")]
    public async Task A_change_that_must_end_the_users_sessions_gives_them_a_new_security_stamp(string action)
    {
        var store = await Team();
        var administration = Administration(store);
        var stamp = (await store.FindAsync("olga", Token))!.SecurityStamp;

        await (action == "end sessions" ? administration.EndSessionsAsync(Ada, "olga", Token) : Invoke(administration, Ada, action));

        Assert.NotEqual(stamp, (await store.FindAsync("olga", Token))!.SecurityStamp);
    }

    [Fact]
    public async Task Ending_someones_sessions_changes_nothing_else_and_is_audited()
    {
        var store = await Team();
        var before = (await store.FindAsync("olga", Token))!;

        await Administration(store).EndSessionsAsync(Ada, "olga", Token);

        Assert.Equal(before, (await store.FindAsync("olga", Token))! with { SecurityStamp = before.SecurityStamp });
        var record = Assert.Single(audit.Records);
        Assert.Equal((AuditActions.SessionsEnded, "ada", "Admin", "ended every session of olga"), (record.Action, record.User, record.Role, record.Details));
    }

    [Fact]
    public async Task An_Admin_demoted_since_their_page_opened_is_refused_at_the_act_and_the_refusal_names_the_role_read_then()
    {
        var store = await StoreWithAsync(User("ada", Role.Admin), User("grace", Role.Admin), User("olga", Role.Operator));
        var administration = Administration(store);
        await administration.ChangeRoleAsync(new UserCaller("grace"), "ada", Role.Viewer, Token);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => administration.SetDisabledAsync(Ada, "olga", true, Token));

        Assert.Contains("ada (Viewer) may not disable accounts", refused.Message);
        Assert.False((await store.FindAsync("olga", Token))!.Disabled);
        Assert.Equal((AuditActions.ActionRefused, "Viewer"), (audit.Records[^1].Action, audit.Records[^1].Role));
    }

    [Fact]
    public async Task A_disabled_Admin_can_do_nothing()
    {
        var store = await StoreWithAsync(User("ada", Role.Admin, disabled: true), User("grace", Role.Admin), User("olga", Role.Operator));

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => Administration(store).UnlockAsync(Ada, "olga", Token));

        Assert.Contains("disabled", refused.Message);
    }
}
