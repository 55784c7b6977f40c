using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Components.Pages.Users;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static BotCore.MigrationPortal.Tests.Support.SecurityTestUsers;

namespace BotCore.MigrationPortal.Tests.Components.Security;

/// <summary>
/// The users page as Ada (Admin), over a user store of its own that each test fills (the page lists exactly what it holds),
/// with real password hashes, a fixed clock and an audit log that lists.
/// </summary>
public sealed class UsersPageTests : PortalPageContext
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly InMemoryUserStore store = new();
    private readonly RecordingAuditLog audit = new();
    private IUserStore served;

    public UsersPageTests()
    {
        served = store;
        // Replaces the test people as the portal's users.
        Services.AddSingleton<IUserStore>(_ => served);
        Services.AddSingleton<IAuditLog>(audit);
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        Services.AddSingleton(Hasher);
        Services.AddScoped<UserAdministration>();
        SignIn(PortalHarness.Ada);
    }

    private async Task AddAsync(params PortalUser[] users)
    {
        foreach (var user in users) Assert.True(await store.TryInsertAsync(user, Token));
    }

    private static string Cell(IRenderedComponent<UsersPage> page, string user, string column) =>
        page.Find($"[data-testid=user-{user}]").ParentElement!.QuerySelector($"td[data-label='{column}']")!.TextContent.Trim();

    [Fact]
    public async Task Lists_each_user_with_role_state_failed_sign_ins_lock_and_creation()
    {
        await AddAsync(
            User("ada", Role.Admin),
            User("bob", Role.Approver) with { FailedAttempts = 5, LockedUntil = Now.UtcDateTime.AddMinutes(10) },
            User("victor", Role.Viewer, disabled: true));

        var page = RenderPage<UsersPage>();

        Assert.Equal(["ada", "bob", "victor"], page.FindAll("td[data-label='Name']").Select(c => c.TextContent.Trim()));
        Assert.Equal(("Admin", "Enabled", "0", "—"), (Cell(page, "ada", "Role"), Cell(page, "ada", "State"), Cell(page, "ada", "Failed sign-ins"), Cell(page, "ada", "Locked until")));
        Assert.Equal(("Locked", "5", "2026-03-02 09:10"), (Cell(page, "bob", "State"), Cell(page, "bob", "Failed sign-ins"), Cell(page, "bob", "Locked until")));
        Assert.Equal("Disabled", Cell(page, "victor", "State"));
        Assert.Equal("2026-03-01 08:00 by test", Cell(page, "ada", "Created"));
        Assert.Single(page.FindAll("[data-testid=unlock-bob]"));
        Assert.Empty(page.FindAll("[data-testid=unlock-ada]"));
        Assert.Single(page.FindAll("[data-testid=enable-victor]"));
        Assert.Single(page.FindAll("[data-testid=disable-ada]"));
        Assert.DoesNotContain("AQAA", page.Markup);
    }

    [Fact]
    public async Task Without_users_it_says_so()
    {
        await AddAsync(User("ada", Role.Admin));
        served = new ListsNobody(store);

        var page = RenderPage<UsersPage>();

        Assert.Contains("No users yet", page.Find("[data-testid=users-empty]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=users-table]"));
    }

    [Fact]
    public async Task The_add_dialog_asks_for_name_role_and_the_password_twice()
    {
        await AddAsync(User("ada", Role.Admin));
        var page = RenderPage<UsersPage>();

        page.Find("[data-testid=add-user]").Click();

        Dialogs.WaitForElement("[data-testid=add-user-dialog]");
        Assert.Equal("Add a user", Dialogs.Find(".mud-dialog-title").TextContent.Trim());
        Assert.NotNull(Dialogs.Find("input[data-testid=name]"));
        Assert.Equal(4, Dialogs.FindAll("input[type=radio]").Count);
        Assert.Equal("password", Dialogs.Find("input[data-testid=password]").GetAttribute("type"));
        Assert.Equal("password", Dialogs.Find("input[data-testid=password-confirmation]").GetAttribute("type"));
    }

    [Fact]
    public async Task Adding_a_user_through_the_dialog_stores_audits_and_lists_them()
    {
        await AddAsync(User("ada", Role.Admin));
        var page = RenderPage<UsersPage>();

        page.Find("[data-testid=add-user]").Click();
        Dialogs.WaitForElement("[data-testid=add-user-dialog]");
        await Dialogs.Find("input[data-testid=name]").ChangeAsync(new() { Value = "carol" });
        await Dialogs.Find("input[data-testid=role-Operator]").ClickAsync(new());
        await Dialogs.Find("input[data-testid=password]").ChangeAsync(new() { Value = "quiet harbour lanterns" });
        await Dialogs.Find("input[data-testid=password-confirmation]").ChangeAsync(new() { Value = "quiet harbour lanterns" });
        await Dialogs.Find("[data-testid=add-user-submit]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Operator", Cell(page, "carol", "Role")));
        var carol = (await store.FindAsync("carol", Token))!;
        Assert.Equal(("ada", Role.Operator), (carol.CreatedBy, carol.Role));
        Assert.NotEqual(PasswordVerificationResult.Failed, Hasher.VerifyHashedPassword(carol, carol.PasswordHash, "quiet harbour lanterns"));
        var record = Assert.Single(audit.Records);
        Assert.Equal((AuditActions.UserCreated, "added carol as Operator"), (record.Action, record.Details));
        Assert.Empty(Dialogs.FindAll("[data-testid=add-user-dialog]"));
    }

    [Fact]
    public async Task The_add_dialog_stays_open_with_the_reasons_for_a_short_or_mismatched_password_or_a_taken_name()
    {
        await AddAsync(User("ada", Role.Admin));
        var page = RenderPage<UsersPage>();

        page.Find("[data-testid=add-user]").Click();
        Dialogs.WaitForElement("[data-testid=add-user-dialog]");
        await Dialogs.Find("input[data-testid=name]").ChangeAsync(new() { Value = "ADA" });
        await Dialogs.Find("input[data-testid=password]").ChangeAsync(new() { Value = "short" });
        await Dialogs.Find("input[data-testid=password-confirmation]").ChangeAsync(new() { Value = "other" });
        await Dialogs.Find("[data-testid=add-user-submit]").ClickAsync(new());

        Dialogs.WaitForAssertion(() =>
        {
            Assert.Contains("A user named 'ADA' already exists.", Dialogs.Markup);
            Assert.Contains("A password needs at least 12 characters.", Dialogs.Markup);
            Assert.Contains("The two passwords differ.", Dialogs.Markup);
        });
        Assert.Single(Dialogs.FindAll("[data-testid=add-user-dialog]"));
        Assert.Single(await store.ListAsync(Token));
        Assert.Empty(audit.Records);
    }

    [Fact]
    public async Task A_role_is_changed_through_its_dialog()
    {
        await AddAsync(User("ada", Role.Admin), User("olga", Role.Operator));
        var page = RenderPage<UsersPage>();

        page.Find("[data-testid=change-role-olga]").Click();
        Dialogs.WaitForElement("[data-testid=change-role-dialog]");
        await Dialogs.Find("input[data-testid=role-Approver]").ClickAsync(new());
        await Dialogs.Find("[data-testid=change-role-submit]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Approver", Cell(page, "olga", "Role")));
        Assert.Equal(Role.Approver, (await store.FindAsync("olga", Token))!.Role);
    }

    [Fact]
    public async Task Someone_the_store_knows_as_no_Admin_sees_the_refusal_instead_of_the_users()
    {
        await AddAsync(User("ada", Role.Viewer), User("olga", Role.Operator));

        var page = RenderPage<UsersPage>();

        Assert.Equal("ada (Viewer) may not list the users: it needs the Admin role.", page.Find("[data-testid=users-problem]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=users-table]"));
    }

    [Fact]
    public async Task An_action_invoked_by_someone_no_longer_Admin_is_refused_by_the_server()
    {
        await AddAsync(User("ada", Role.Admin), User("grace", Role.Admin),
            User("bob", Role.Approver) with { FailedAttempts = 5, LockedUntil = Now.UtcDateTime.AddMinutes(10) });
        var page = RenderPage<UsersPage>();
        await store.ReplaceAsync((await store.FindAsync("ada", Token))! with { Role = Role.Operator }, Token);

        await page.Find("[data-testid=unlock-bob]").ClickAsync(new());

        page.WaitForAssertion(() =>
            Assert.Equal("ada (Operator) may not unlock accounts: it needs the Admin role.", page.Find("[data-testid=users-problem]").TextContent.Trim()));
        Assert.Equal(5, (await store.FindAsync("bob", Token))!.FailedAttempts);
        // The refusal is audited with the role read at the act, and nothing else is.
        var refused = audit.Records.First();
        Assert.Equal((AuditActions.ActionRefused, "ada", "Operator"), (refused.Action, refused.User, refused.Role));
        Assert.Contains("tried to unlock accounts (bob)", refused.Details);
        Assert.All(audit.Records, record => Assert.Equal(AuditActions.ActionRefused, record.Action));
    }

    [Fact]
    public async Task Disabling_the_last_Admin_is_refused_with_the_reason()
    {
        await AddAsync(User("ada", Role.Admin), User("olga", Role.Operator));
        var page = RenderPage<UsersPage>();

        page.Find("[data-testid=disable-ada]").Click();
        var confirm = Dialogs.WaitForElement(".mud-message-box");
        Assert.Contains("Disable ada?", confirm.TextContent);
        await Dialogs.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Disable").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("ada is the only enabled Admin", page.Find("[data-testid=users-problem]").TextContent));
        Assert.False((await store.FindAsync("ada", Token))!.Disabled);
    }

    /// <summary>A store that finds users but lists none: the page's empty state, with a signed-in Admin.</summary>
    private sealed class ListsNobody(IUserStore inner) : IUserStore
    {
        public Task<PortalUser?> FindAsync(string name, CancellationToken cancellationToken) => inner.FindAsync(name, cancellationToken);
        public Task<IReadOnlyList<PortalUser>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<PortalUser>>([]);
        public Task<bool> TryInsertAsync(PortalUser user, CancellationToken cancellationToken) => inner.TryInsertAsync(user, cancellationToken);
        public Task ReplaceAsync(PortalUser user, CancellationToken cancellationToken) => inner.ReplaceAsync(user, cancellationToken);
        public Task<PortalUser?> RecordFailedSignInAsync(string name, string client, DateTime at, LockoutPolicy lockout, CancellationToken cancellationToken) =>
            inner.RecordFailedSignInAsync(name, client, at, lockout, cancellationToken);
        public Task ClearFailedSignInsAsync(string name, CancellationToken cancellationToken) => inner.ClearFailedSignInsAsync(name, cancellationToken);
        public Task RotateSecurityStampAsync(string name, CancellationToken cancellationToken) => inner.RotateSecurityStampAsync(name, cancellationToken);
    }
}
