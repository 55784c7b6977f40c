namespace BotCore.MigrationPortal.Targets.Leases;

/// <summary>How long a lease lasts without renewal, and how often its holder renews it.</summary>
public sealed record LeaseOptions(int DurationSeconds = 60, int RenewEverySeconds = 15)
{
    public const string Section = "Migrations:Lease";

    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);

    public TimeSpan RenewEvery => TimeSpan.FromSeconds(RenewEverySeconds);
}
