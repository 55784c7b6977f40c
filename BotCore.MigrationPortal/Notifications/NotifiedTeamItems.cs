using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>
/// The one place that says how the checklist's "Notified team of upcoming migration" (by the approval request) and "Notified team of
/// successful migration" (by the success) settle by themselves: passed, with the delivery as evidence, when a channel delivered that event;
/// ticked by a person as before when no channel gets it (or every delivery failed). The person's own tick is never overwritten.
/// </summary>
public static class NotifiedTeamItems
{
    public static string? ItemFor(PortalEventKind kind) => kind switch
    {
        PortalEventKind.ApprovalRequested => ChecklistTemplate.TeamNotified,
        PortalEventKind.RunSucceeded => ChecklistTemplate.TeamNotifiedOfSuccess,
        _ => null,
    };

    /// <summary>
    /// Which items "Request approval" requires settled: all but "Notified team of upcoming migration" when an enabled channel gets the
    /// approval request, since that request is what notifies the team (approving it then requires the item passed, or ticked).
    /// </summary>
    public static Func<ChecklistItemDefinition, bool>? RequiredToRequestApproval(IEnumerable<NotificationChannel> channels) =>
        channels.Any(c => c.Gets(PortalEventKind.ApprovalRequested)) ? item => item.Id != ChecklistTemplate.TeamNotified : null;

    /// <summary><paramref name="run"/> with the item of the delivered event passed, unless it is already settled.</summary>
    public static MigrationRun Settled(MigrationRun run, NotificationDelivery delivery)
    {
        if (ItemFor(delivery.Event.Kind) is not { } itemId || run.Item(itemId) is not { IsSatisfied: false } item || delivery.Last is not { Succeeded: true } attempt)
        {
            return run;
        }
        return run.WithItem(item with
        {
            Status = ItemStatus.Passed, By = PreCheckEvaluator.Portal, At = attempt.At, Comment = null,
            Evidence = $"'{delivery.Event.Kind.DisplayName()}' delivered to {delivery.ChannelKind} channel '{delivery.ChannelName}' at {attempt.At:u} " +
                $"(attempt {attempt.Number}, answered {attempt.Response ?? "OK"}).",
        });
    }
}
