using System.Text.RegularExpressions;
using AngleSharp.Dom;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Security.Sessions;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components;

/// <summary>
/// A bUnit context for a portal page: the whole portal composed as in sandbox mode (<see cref="TestPortal.AddTestPortal"/>,
/// the same registrations as <see cref="PortalHarness"/>), MudBlazor with its popover, dialog and snackbar providers, and the
/// test people (Olga, Alice, Bob, Ada and Victor) as the portal's users, whom <see cref="CurrentActor"/> finds. Olga
/// (Operator) is signed in, with a session of her own, unless a test signs in someone else.
/// </summary>
public abstract partial class PortalPageContext : BunitContext
{
    private readonly BunitAuthorizationContext authorization;

    /// <param name="settings">Configuration a page's feature needs beyond the sandbox targets (a backup folder).</param>
    protected PortalPageContext(IReadOnlyDictionary<string, string?>? settings = null)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSandboxRuns(settings);
        Services.AddSingleton<IUserStore>(PortalUsers);
        // After the portal's own registrations: bUnit's authentication state stands in for the cookie's.
        authorization = AddAuthorization();
        SignIn(Olga);
    }

    /// <summary>The portal's users: the test people, each with the role <see cref="TestPeople"/> gives them.</summary>
    protected InMemoryUserStore PortalUsers { get; } = TestPeople.NewStore();

    protected BunitNavigationManager Navigation => Services.GetRequiredService<BunitNavigationManager>();

    /// <summary>Where open selects show their items, once a page was rendered with <see cref="RenderPage{TPage}"/>.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = default!;

    /// <summary>Where dialogs open, once a page was rendered with <see cref="RenderPage{TPage}"/>.</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; private set; } = default!;

    /// <summary>The snackbars shown so far, once a page was rendered with <see cref="RenderPage{TPage}"/>.</summary>
    protected IRenderedComponent<MudSnackbarProvider> Snackbars { get; private set; } = default!;

    protected static CancellationToken Token => Xunit.TestContext.Current.CancellationToken;

    protected static TimeSpan Patience { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Signs <paramref name="person"/> in with a new session, as the sign-in endpoint would (the stamp is the test person's).</summary>
    protected void SignIn(TestPerson person) =>
        authorization.SetAuthorized(person.Name).SetRoles(person.Role.ToString())
            .SetClaims([.. new SessionClaims(person.Name, Guid.NewGuid().ToString("N"), person.SecurityStamp, DateTime.UtcNow).ToClaims()]);

    /// <summary>Renders the MudBlazor providers, as the layout does, then the page.</summary>
    protected IRenderedComponent<TPage> RenderPage<TPage>(Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null) where TPage : IComponent
    {
        Popovers = Render<MudPopoverProvider>();
        Dialogs = Render<MudDialogProvider>();
        Snackbars = Render<MudSnackbarProvider>();
        return Render(parameters);
    }

    /// <summary>Waits for a snackbar that contains <paramref name="text"/>.</summary>
    protected void WaitForSnackbar(string text) =>
        Snackbars.WaitForAssertion(() => Assert.Contains(Snackbars.FindAll(".mud-snackbar-content-message"), message => TextOf(message).Contains(text, StringComparison.Ordinal)), Patience);

    /// <summary>
    /// Opens the select labelled <paramref name="label"/> and clicks its item that reads <paramref name="item"/>, as a person would;
    /// returns every item it offered.
    /// </summary>
    protected async Task<IReadOnlyList<string>> ChooseAsync<TPage>(IRenderedComponent<TPage> page, string label, string item) where TPage : IComponent
    {
        var select = page.FindAll(".mud-select > .mud-input-control").Single(control => control.QuerySelector("label") is { } shown && TextOf(shown) == label);
        await select.MouseDownAsync(new MouseEventArgs());
        var options = Popovers.WaitForElements(".mud-popover-open .mud-list-item", Patience);
        var offered = options.Select(TextOf).ToList();
        await options.Single(option => TextOf(option) == item).ClickAsync(new MouseEventArgs());
        return offered;
    }

    /// <summary>Clicks the button in <paramref name="scope"/> that reads <paramref name="text"/>.</summary>
    protected static Task ClickButtonAsync(IElement scope, string text) =>
        scope.QuerySelectorAll("button").Single(button => TextOf(button) == text).ClickAsync(new MouseEventArgs());

    /// <summary>An element's text with runs of white space as one space.</summary>
    protected static string TextOf(IElement element) => Spaces().Replace(element.TextContent, " ").Trim();

    protected static IReadOnlyList<string> ButtonsIn(IElement element) => element.QuerySelectorAll("button").Select(TextOf).ToList();

    /// <summary>The rows of a MudTable, each as the texts of its cells.</summary>
    protected static IReadOnlyList<IReadOnlyList<string>> RowsOf(IElement table) =>
        table.QuerySelectorAll("tbody tr.mud-table-row").Select(row => (IReadOnlyList<string>)row.QuerySelectorAll("td").Select(TextOf).ToList()).ToList();

    /// <summary>The text of the cell after the cell that reads <paramref name="label"/>, in a two-column table.</summary>
    protected static string ValueOf(IElement container, string label) =>
        TextOf(container.QuerySelectorAll("td").Single(cell => TextOf(cell) == label).NextElementSibling!);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
