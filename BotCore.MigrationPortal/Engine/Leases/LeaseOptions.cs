using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Engine.Leases;

/// <summary>How long a lease lasts without renewal, and how often its holder renews it.</summary>
public sealed record LeaseOptions(int DurationSeconds = 60, int RenewEverySeconds = 15)
{
    public const string Section = "Migrations:Lease";

    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);

    public TimeSpan RenewEvery => TimeSpan.FromSeconds(RenewEverySeconds);

    // A lease renewed no more often than it lasts lapses between renewals, and another run takes the target over mid-run.
    public LeaseOptions Validated() =>
        RenewEverySeconds < 1 || RenewEverySeconds >= DurationSeconds
            ? throw new BadInputException(
                $"{Section}: RenewEverySeconds must be 1 or more and less than DurationSeconds (they are {RenewEverySeconds} and {DurationSeconds}).")
            : this;
}
