using System.Collections.Concurrent;

namespace BotCore.MigrationPortal.Doctor;

/// <summary>The last check-up of each target, in this portal's memory, for the dashboard; <see cref="Changed"/> names the target.</summary>
public sealed class DoctorResults
{
    private readonly ConcurrentDictionary<string, DoctorReport> last = new(StringComparer.OrdinalIgnoreCase);

    public event Action<string>? Changed;

    public DoctorReport? LastOf(string target) => last.GetValueOrDefault(target);

    public void Record(DoctorReport report)
    {
        last[report.Target.Name] = report;
        Changed?.Invoke(report.Target.Name);
    }
}
