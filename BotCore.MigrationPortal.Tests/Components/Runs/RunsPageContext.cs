using System.Text.RegularExpressions;
using AngleSharp.Dom;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>
/// A bUnit context for the run pages: the runs feature composed as in sandbox mode (the same registrations as
/// <see cref="PortalHarness"/>, whose helpers work on these services), the harness's people as portal users, and
/// MudBlazor with its popover, dialog and snackbar providers. Olga (Operator) is signed in unless a test signs in someone else.
/// </summary>
public abstract partial class RunsPageContext : BunitContext
{
    private readonly BunitAuthorizationContext authorization;
    private PortalHarness? portal;

    protected RunsPageContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSandboxRuns();
        authorization = AddAuthorization();
        var users = new InMemoryUserStore();
        foreach (var actor in new[] { Olga, Alice, Bob, Ada, Victor })
        {
            var added = users.TryInsertAsync(new PortalUser { Name = actor.Name, Role = actor.Role, PasswordHash = "-", CreatedBy = "test" }, CancellationToken.None);
            Assert.True(added.IsCompletedSuccessfully && added.Result);
        }
        Services.AddSingleton<IUserStore>(users);
        Services.AddScoped<CurrentActor>();
        SignIn(Olga);
    }

    /// <summary>The harness over this context's services; the first use fixes the registrations.</summary>
    private protected PortalHarness Portal => portal ??= new PortalHarness(Services);

    protected BunitNavigationManager Navigation => Services.GetRequiredService<BunitNavigationManager>();

    /// <summary>Where open selects show their items, once a page was rendered with <see cref="RenderPage{TPage}"/>.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = default!;

    /// <summary>Where dialogs open, once a page was rendered with <see cref="RenderPage{TPage}"/>.</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; private set; } = default!;

    /// <summary>The snackbars shown so far, once a page was rendered with <see cref="RenderPage{TPage}"/>.</summary>
    protected IRenderedComponent<MudSnackbarProvider> Snackbars { get; private set; } = default!;

    protected static CancellationToken Token => Xunit.TestContext.Current.CancellationToken;

    protected static TimeSpan Patience { get; } = TimeSpan.FromSeconds(10);

    protected void SignIn(Actor actor) => authorization.SetAuthorized(actor.Name).SetRoles(actor.Role.ToString());

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

    /// <summary>Opens the select labelled <paramref name="label"/> and clicks its item that reads <paramref name="item"/>, as a person would.</summary>
    protected async Task ChooseAsync<TPage>(IRenderedComponent<TPage> page, string label, string item) where TPage : IComponent
    {
        var select = page.FindAll(".mud-select > .mud-input-control").Single(control => control.QuerySelector("label") is { } shown && TextOf(shown) == label);
        await select.MouseDownAsync(new MouseEventArgs());
        var option = Popovers.WaitForElements(".mud-popover-open .mud-list-item", Patience).Single(candidate => TextOf(candidate) == item);
        await option.ClickAsync(new MouseEventArgs());
    }

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
