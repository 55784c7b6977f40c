namespace BotCore.MigrationPortal.Doctor.Lines;

/// <summary>
/// This machine's clock against the server's. Leases run on the server's clock, but run times, the changelog's dates, the
/// audit log and a backup's age (Backups:MaxAgeHours) are the portal's: far apart, they disagree with what the server records.
/// </summary>
public static class ClockLine
{
    public const string Id = "clock";
    public const string Title = "Clock skew";

    public static TimeSpan PassWithin { get; } = TimeSpan.FromSeconds(2);
    public static TimeSpan FailBeyond { get; } = TimeSpan.FromMinutes(5);

    public static DoctorLine Evaluate(ClockReading clock)
    {
        var skew = clock.Skew;
        // What cannot be told apart from the round trip is not counted against the clocks.
        var beyondDoubt = skew.Duration() - clock.Uncertainty;
        var finding = $"the server's clock is {Describe(skew)} (±{clock.Uncertainty.TotalMilliseconds:F0} ms)";
        if (beyondDoubt <= PassWithin) return DoctorLine.Pass(Id, Title, finding);
        var advice = "Synchronise both machines with NTP (timedatectl set-ntp true, or chrony).";
        return beyondDoubt > FailBeyond
            ? DoctorLine.Fail(Id, Title, $"{finding}, more than {FailBeyond.TotalMinutes:F0} minutes", advice)
            : DoctorLine.Warn(Id, Title, $"{finding}, more than {PassWithin.TotalSeconds:F0} s", advice);
    }

    private static string Describe(TimeSpan skew) =>
        skew.Duration() < TimeSpan.FromMilliseconds(1) ? "the same as this machine's"
        : $"{skew.Duration().TotalSeconds:F1} s {(skew > TimeSpan.Zero ? "ahead of" : "behind")} this machine's";
}
