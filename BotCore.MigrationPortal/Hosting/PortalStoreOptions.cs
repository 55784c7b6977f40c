namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// Where the portal keeps its own data (users, runs, run events, audit log, Hangfire jobs): a MongoDB database
/// separate from the targets. Overridable with <c>Portal__Store__ConnectionString</c>.
/// </summary>
public sealed class PortalStoreOptions
{
    public const string Section = "Portal:Store";

    public string ConnectionString { get; set; } = "mongodb://localhost:27017/?directConnection=true";

    public string Database { get; set; } = "botcore_portal";

    public int TimeoutSeconds { get; set; } = 5;
}
