using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>
/// A page context with the runs feature composed as in sandbox mode: the same registrations as <see cref="PortalHarness"/>,
/// whose helpers work on these services.
/// </summary>
public abstract class RunsPageContext : PortalPageContext
{
    private PortalHarness? portal;

    protected RunsPageContext() => Services.AddSandboxRuns();

    /// <summary>The harness over this context's services; the first use fixes the registrations.</summary>
    private protected PortalHarness Portal => portal ??= new PortalHarness(Services);
}
