using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Doctor;

/// <summary>
/// Checks every configured target once when the portal starts, in the background: start-up neither waits for it nor fails
/// with it, and each target's result reaches the dashboard as soon as it is there.
/// </summary>
public sealed class DoctorAtStartup(TargetRegistry targets, TargetDoctor doctor, DoctorResults results, ILogger<DoctorAtStartup> logger) : BackgroundService
{
    public const string CheckedBy = "portal start-up";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await Task.WhenAll(targets.All.Select(target => CheckAsync(target.Name, stoppingToken)));
    }

    private async Task CheckAsync(string target, CancellationToken cancellationToken)
    {
        try
        {
            results.Record(await doctor.ExamineAsync(target, CheckedBy, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The portal is stopping.
        }
        catch (Exception e)
        {
            // A target that cannot even be described (a malformed connection string) is the dashboard's to say; start-up goes on.
            logger.LogWarning("Doctor could not check target {Target} at start-up: {Problem}", target, e.Message);
        }
    }
}
