namespace BotCore.MigrationPortal.Runs;

/// <summary>
/// An approved run set to start at <paramref name="At"/> (a maintenance window), by <paramref name="By"/> at <paramref name="Requested"/>:
/// a scheduled background job, whose id <paramref name="JobId"/> is kept so that cancelling or moving the schedule deletes it. At that
/// time the job starts the run as "Run" would then, on behalf of <paramref name="By"/>.
/// </summary>
public sealed record RunSchedule(DateTime At, string By, DateTime Requested, string JobId)
{
    /// <summary>The evidence the maintenance-window item shows while the schedule holds.</summary>
    public string Evidence => $"Scheduled for {At:yyyy-MM-dd HH:mm} UTC by {By} (at {Requested:u}).";
}
