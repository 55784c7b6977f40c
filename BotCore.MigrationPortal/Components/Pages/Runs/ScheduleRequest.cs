namespace BotCore.MigrationPortal.Components.Pages.Runs;

/// <summary>What the schedule dialog asked: when the run starts (UTC), and the target's name as typed (on Production).</summary>
public sealed record ScheduleRequest(DateTime At, string? TypedTargetName);
