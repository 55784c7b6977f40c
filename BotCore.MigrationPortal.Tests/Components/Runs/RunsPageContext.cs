using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>A page context with the <see cref="PortalHarness"/> helpers over its services (the same registrations).</summary>
public abstract class RunsPageContext : PortalPageContext
{
    private PortalHarness? portal;

    /// <summary>The harness over this context's services; the first use fixes the registrations.</summary>
    private protected PortalHarness Portal => portal ??= new PortalHarness(Services);
}
