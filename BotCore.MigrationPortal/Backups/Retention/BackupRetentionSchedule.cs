namespace BotCore.MigrationPortal.Backups.Retention;

/// <summary>Applies the retention policy once a day, the first time a few minutes after the portal starts.</summary>
public sealed class BackupRetentionSchedule(BackupRetentionRunner retention, TimeProvider time, ILogger<BackupRetentionSchedule> logger) : BackgroundService
{
    private const string Portal = "portal";
    private static readonly TimeSpan FirstRun = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstRun, time, stoppingToken);
            using var daily = new PeriodicTimer(Interval, time);
            do
            {
                await ApplyAsync(stoppingToken);
            }
            while (await daily.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var removed = await retention.ApplyAsync(Portal, Portal, cancellationToken);
            logger.LogInformation("Daily backup retention removed {Count} backups ({Policy})", removed.Count, retention.Policy.Describe());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Tomorrow's round tries again; one unreadable folder must not stop the schedule.
            logger.LogError(e, "Daily backup retention failed");
        }
    }
}
