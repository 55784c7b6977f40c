using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Execution;

namespace BotCore.MigrationPortal.Cli;

/// <summary>
/// An <c>up</c> or <c>down</c> of the command line as a run of the portal: in the same run store (so it is in the run list, and the
/// target's one-open-run rule holds against the portal's runs too), with its events in the same event store, its start and end in the
/// audit log. It is told apart by its id (<c>cli-…</c>) and its requester (<c>user@host (cli)</c>). It begins Queued and moves through
/// the state machine like a portal run; it has no approval, as the command line has none (<c>--confirm-production</c> stands for it).
/// </summary>
public sealed class CliRuns(RunRepository repository, IRunEventStore events, IAuditLog audit, TimeProvider time, ILogger<CliRuns> logger)
{
    /// <summary>Refuses at once when the target has an open run, before the gates take a backup for a run that could not start.</summary>
    /// <exception cref="Security.ActionRefusedException">The target has an open run.</exception>
    public Task RequireNoOpenRunAsync(IMigrationTarget target, CancellationToken cancellationToken) =>
        repository.RequireNoOpenRunAsync(target.Name, cancellationToken);

    /// <param name="gates">What was checked before it started (the backup, or the written reason for going without), for its history, and the pre-checks as they ran.</param>
    /// <exception cref="Security.ActionRefusedException">The target has an open run.</exception>
    public Task<MigrationRun> StartAsync(string runId, IMigrationTarget target, MigrationPlan plan, GatesPassed gates, bool rollBackOnFailedValidation,
        CancellationToken cancellationToken) =>
        StartAsync(Queued(runId, target, plan.From, plan.To, RunKind.Migration) with
        {
            Checksums = plan.Migrations.Select(m => new VersionChecksum(m.Version, m.Migration.Checksum)).ToList(),
            PreMigrationChecks = gates.Checks,
        }, r => r with { RollBackOnFailedValidation = rollBackOnFailedValidation }, $"{plan.Direction.Name()} {plan.From} → {plan.To}", gates, cancellationToken);

    /// <summary><c>fix run</c> as a run of the portal: of kind Fix (FixUndo with <paramref name="undo"/>), at the target's version <paramref name="at"/>, which it keeps.</summary>
    /// <exception cref="Security.ActionRefusedException">The target has an open run.</exception>
    public Task<MigrationRun> StartFixAsync(string runId, IMigrationTarget target, Fixes.RegisteredFix fix, bool undo, SchemaVersion at, GatesPassed gates,
        CancellationToken cancellationToken)
    {
        var queued = Queued(runId, target, at, at, undo ? RunKind.FixUndo : RunKind.Fix) with { Fix = RunFix.Of(fix), PreMigrationChecks = gates.Checks };
        return StartAsync(queued, r => r, $"{queued.Title()} ({fix.ShortChecksum}) at {at}", gates, cancellationToken);
    }

    private MigrationRun Queued(string runId, IMigrationTarget target, SchemaVersion from, SchemaVersion to, RunKind kind)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new MigrationRun
        {
            Id = runId,
            Target = target.Name,
            Tier = target.Tier,
            From = from,
            To = to,
            Kind = kind,
            Checksums = [],
            RequestedBy = CliIdentity.User,
            CreatedAt = now,
            UpdatedAt = now,
            State = RunState.Queued,
        };
    }

    private async Task<MigrationRun> StartAsync(MigrationRun queued, Func<MigrationRun, MigrationRun> more, string what, GatesPassed gates, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await repository.InsertAsync(queued, $"Started from the command line by {CliIdentity.User}", cancellationToken);
        var running = more(RunStateMachine.Move(queued, RunState.Running, CliIdentity.User, $"started from the command line; {gates.Summary}", now) with
        {
            StartedAt = now,
        });
        var saved = await repository.SaveAsync(queued, running, "Running", cancellationToken);
        await audit.RecordAsync(AuditRecord.By(CliIdentity.Actor, queued.Fix is null ? AuditActions.RunCreated : AuditActions.FixRunCreated,
            $"{what} on {queued.Target} ({queued.Tier}) started from the command line; {gates.Summary}", queued.Target, queued.Id), cancellationToken);
        return saved;
    }

    /// <summary>Writes the engine's events to the run's event stream; dispose it before <see cref="FinishAsync"/>, so that all are written.</summary>
    public RunEventRecorder Recorder(string runId) => new(events, runId, _ => Task.CompletedTask, logger);

    /// <summary>Moves the run to where the engine left it (null: it stopped outside the engine, which counts as failed), and records that in the audit log.</summary>
    /// <param name="leftAt">The version the engine read at the end; null when it could not tell.</param>
    public async Task<MigrationRun> FinishAsync(string runId, RunOutcome? outcome, string? error, SchemaVersion? leftAt, CancellationToken cancellationToken)
    {
        RunState[] path = outcome switch
        {
            RunOutcome.Succeeded => [RunState.Validating, RunState.Succeeded],
            RunOutcome.RolledBack => [RunState.RollingBack, RunState.RolledBack],
            RunOutcome.ValidationFailed => [RunState.Validating, RunState.Failed],
            RunOutcome.RollbackFailed => [RunState.RollingBack, RunState.RollbackFailed],
            _ => [RunState.Failed],
        };
        var now = time.GetUtcNow().UtcDateTime;
        var finished = await repository.UpdateAsync(runId, run =>
        {
            foreach (var state in path.Where(s => s != run.State)) run = RunStateMachine.Move(run, state, CliIdentity.User, error ?? "finished", now);
            return run with { FinishedAt = now, Error = outcome == RunOutcome.Succeeded ? null : error, LeftAt = leftAt };
        }, $"Finished: {path[^1].DisplayName()}", cancellationToken);
        await audit.RecordAsync(AuditRecord.By(CliIdentity.Actor, AuditActions.RunStateChanged,
            $"run {runId} from the command line ended {finished.State.DisplayName()}" + (error is null ? "" : $": {error}"), finished.Target, runId), cancellationToken);
        return finished;
    }
}
