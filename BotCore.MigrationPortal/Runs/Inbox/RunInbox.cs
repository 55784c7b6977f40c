using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Runs.Inbox;

/// <summary>Why a run waits for a person.</summary>
public enum InboxReason
{
    /// <summary>It awaits approval and she may give it (an Approver who did not prepare it).</summary>
    YourApproval,

    /// <summary>An Approver sent it back to her, who asked for approval: she changes it and asks again.</summary>
    SentBackToYou,
}

/// <summary>One run waiting for a person: why, who asked her and when, and the sender's reason for a run sent back.</summary>
public sealed record InboxEntry(MigrationRun Run, InboxReason Reason, string AskedBy, DateTime AskedAt, string? Note);

/// <summary>
/// "Waiting for me": the runs a person may act on now because someone asked her to. What she may do comes from
/// <see cref="RunRules"/>, as on the run page; only open runs can wait for anyone, and a target has at most one.
/// </summary>
public sealed class RunInbox(IRunStore runs)
{
    /// <returns>The runs waiting for <paramref name="actor"/>, the longest waiting first.</returns>
    public async Task<IReadOnlyList<InboxEntry>> ForAsync(Actor actor, CancellationToken cancellationToken) =>
        (await runs.OpenAsync(cancellationToken))
            .Select(run => EntryFor(run, actor))
            .OfType<InboxEntry>()
            .OrderBy(entry => entry.AskedAt).ThenBy(entry => entry.Run.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>Whether <paramref name="run"/> waits for <paramref name="actor"/>, and why; null when it does not.</summary>
    public static InboxEntry? EntryFor(MigrationRun run, Actor actor)
    {
        if (run.State == RunState.AwaitingApproval && RunRules.Check(RunAction.Approve, run, actor).Allowed && run.ApprovalRequest() is { } asked)
        {
            return new InboxEntry(run, InboxReason.YourApproval, asked.By, asked.At, null);
        }
        if (run.SentBack is { } sentBack && string.Equals(sentBack.To, actor.Name, StringComparison.OrdinalIgnoreCase)
            && RunRules.Check(RunAction.RequestApproval, run, actor).Allowed)
        {
            return new InboxEntry(run, InboxReason.SentBackToYou, sentBack.By, sentBack.At, sentBack.Reason);
        }
        return null;
    }
}
