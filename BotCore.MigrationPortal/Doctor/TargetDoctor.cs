using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Doctor.Probes;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Doctor;

/// <summary>
/// Checks a target: its server, topology, the user's privileges per feature, the clock, and the backup folder. A server that
/// does not answer or refuses the credentials gives one failing line, never an exception.
/// </summary>
public sealed class TargetDoctor(TargetRegistry targets, BackupPaths backups, MongoServerProbe probe, TimeProvider time, ILogger<TargetDoctor> logger)
{
    /// <exception cref="Engine.BadInputException">No such target, or its connection string is missing or malformed.</exception>
    public async Task<DoctorReport> ExamineAsync(string targetName, string checkedBy, CancellationToken cancellationToken)
    {
        var descriptor = targets.Describe(targetName);
        var target = targets.Get(descriptor.Name);
        var at = time.GetUtcNow();
        var location = await BackupLocationProbe.ReadAsync(backups.Root, cancellationToken);
        if (MongoServerProbe.DatabaseOf(target) is not { } database)
        {
            return Done(new DoctorReport(descriptor, at, checkedBy, DoctorEvaluation.SimulatedLines(location)));
        }
        try
        {
            var facts = await probe.ReadAsync(database, cancellationToken);
            return Done(new DoctorReport(descriptor, at, checkedBy, DoctorEvaluation.Lines(facts, location)));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && MongoFailures.Classify(e) is { } failure)
        {
            logger.LogInformation("Doctor could not reach target {Target}: {Reason}", descriptor.Name, failure.Reason);
            return DoctorReport.NotReached(descriptor, at, checkedBy, failure.Reason, failure.Advice(descriptor.Name));
        }
    }

    private DoctorReport Done(DoctorReport report)
    {
        logger.LogInformation("Doctor checked target {Target} for {CheckedBy}: {Passed} passed, {Warnings} warnings, {Failures} failures",
            report.Target.Name, report.CheckedBy, report.Passed, report.Warnings, report.Failures);
        foreach (var line in report.Lines.Where(l => l.Outcome != DoctorOutcome.Pass))
        {
            logger.LogInformation("Doctor {Target} {Check} {Outcome}: {Finding}", report.Target.Name, line.Id, line.Outcome, line.Finding);
        }
        return report;
    }
}
