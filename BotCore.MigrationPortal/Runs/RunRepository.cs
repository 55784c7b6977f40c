using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Notifications;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Runs;

/// <summary>
/// Saves runs with their revision check and tells followers (every open run page, on any instance) that the
/// run changed, through a StateChanged event in the run's event stream.
/// </summary>
public sealed class RunRepository(IRunStore runs, IRunEventStore events, INotificationPublisher notifications, TimeProvider time)
{
    /// <exception cref="ActionRefusedException">No such run, or the page that asked has an older revision of it.</exception>
    public async Task<MigrationRun> LoadAsync(string id, long? expectedRevision, CancellationToken cancellationToken)
    {
        var run = await runs.FindAsync(id, cancellationToken) ?? throw new NotFoundRefusalException($"There is no run {id}.");
        if (expectedRevision is { } expected && run.Revision != expected)
        {
            throw new ConflictRefusalException(
                $"Run {id} changed since your page showed it (it is now {run.State.InSentence()}, last changed {run.UpdatedAt:u}). Nothing was done: look at it again and retry.");
        }
        return run;
    }

    /// <exception cref="ActionRefusedException">The target already has an open run: it is named, with what to do.</exception>
    public async Task InsertAsync(MigrationRun run, string message, CancellationToken cancellationToken)
    {
        if (await runs.TryInsertAsync(run, cancellationToken) is { } open) throw OpenRunRefusal(run.Target, open);
        await NotifyAsync(run, message, cancellationToken);
        await PublishAsync(null, run, cancellationToken);
    }

    /// <summary>
    /// Refuses before work that only makes sense for a new run (the command line's gates take a whole-database backup) when the target
    /// has an open run; the insert stays the authority, as another run may open meanwhile.
    /// </summary>
    /// <exception cref="ActionRefusedException">The target already has an open run: it is named, with what to do.</exception>
    public async Task RequireNoOpenRunAsync(string target, CancellationToken cancellationToken)
    {
        var open = (await runs.OpenAsync(cancellationToken)).FirstOrDefault(r => string.Equals(r.Target, target, StringComparison.OrdinalIgnoreCase));
        if (open is not null) throw OpenRunRefusal(target, open);
    }

    private static ConflictRefusalException OpenRunRefusal(string target, MigrationRun open) => new(
        $"Target '{target}' already has an open run, {open.Id} ({open.Change()}, {open.State.DisplayName()}, by {open.RequestedBy}): " +
        "a target has one open run at a time. Finish or cancel that run first.");

    /// <summary>Saves <paramref name="updated"/> only if the stored run is still <paramref name="current"/>.</summary>
    /// <exception cref="ActionRefusedException">Someone else changed the run first (a double click, a second browser).</exception>
    public async Task<MigrationRun> SaveAsync(MigrationRun current, MigrationRun updated, string message, CancellationToken cancellationToken)
    {
        var next = updated with { Revision = current.Revision + 1, UpdatedAt = time.GetUtcNow().UtcDateTime };
        if (!await runs.TryReplaceAsync(next, current.Revision, cancellationToken))
        {
            var now = await runs.FindAsync(current.Id, cancellationToken);
            throw new ConflictRefusalException(
                $"Run {current.Id} was changed by someone else at the same moment (it is now {now?.State.InSentence() ?? "gone"}). Nothing was done: look at it again.");
        }
        await NotifyAsync(next, message, cancellationToken);
        await PublishAsync(current, next, cancellationToken);
        return next;
    }

    /// <summary>
    /// For the job (and a comment, which does not depend on what a page showed): applies a change to the latest stored run, retrying
    /// when someone changed it in between.
    /// </summary>
    public async Task<MigrationRun> UpdateAsync(string id, Func<MigrationRun, MigrationRun> change, string message, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await LoadAsync(id, null, cancellationToken);
            var next = change(current) with { Revision = current.Revision + 1, UpdatedAt = time.GetUtcNow().UtcDateTime };
            if (await runs.TryReplaceAsync(next, current.Revision, cancellationToken))
            {
                await NotifyAsync(next, message, cancellationToken);
                await PublishAsync(current, next, cancellationToken);
                return next;
            }
            if (attempt == 9) throw new InvalidOperationException($"Run {id} kept changing under the job; gave up after 10 attempts.");
        }
    }

    /// <summary>Tells the team what the save changed, as <see cref="RunTransitionEvents"/> says: every change of a run passes here.</summary>
    private async Task PublishAsync(MigrationRun? before, MigrationRun after, CancellationToken cancellationToken)
    {
        foreach (var portalEvent in RunTransitionEvents.Of(before, after, time.GetUtcNow().UtcDateTime))
        {
            await notifications.PublishAsync(portalEvent, cancellationToken);
        }
    }

    private Task NotifyAsync(MigrationRun run, string message, CancellationToken cancellationToken) =>
        events.AppendAsync(run.Id, new RunEvent(time.GetUtcNow(), RunEventKind.StateChanged, message), cancellationToken);
}
