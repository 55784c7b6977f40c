using BotCore.MigrationPortal.Doctor;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary>
/// <c>doctor --target T</c>: the target's check-up, one line each. Exit 0 when every line passes or warns, 1 when one fails or
/// the server cannot be used (one line on standard error saying so), 2 for an unknown target.
/// </summary>
public sealed class DoctorVerb(TargetRegistry targets, TargetDoctor doctor, CliConsole console) : ICliVerb
{
    public const string CheckedBy = "cli";

    public string Name => "doctor";
    public string Usage => "doctor --target T";
    public string Summary => "checks a target: server version and FCV, topology, the user's privileges per feature, clock skew, Backups:Location; exit 1 when a line fails";
    public IReadOnlyCollection<string> ValueOptions => ["target"];
    public IReadOnlyCollection<string> FlagOptions => [];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var descriptor = targets.Describe(arguments.Required("target"));
        var report = await doctor.ExamineAsync(descriptor.Name, CheckedBy, cancellationToken);
        if (report.Unreachable is not null)
        {
            console.Error.WriteLine($"error: {report.Lines[0].Finding}. {report.Lines[0].Advice}");
            return ExitCodes.Failure;
        }
        console.Out.WriteLine($"Doctor for {descriptor.Name} ({descriptor.Tier}) at {descriptor.Address}, {report.At:u}");
        foreach (var line in report.Lines) console.Out.WriteLine(line.ToString());
        console.Out.WriteLine($"Result: {report.Summary}.");
        return report.Worst == DoctorOutcome.Fail ? ExitCodes.Failure : ExitCodes.Success;
    }
}
