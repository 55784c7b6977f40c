using BotCore.MigrationPortal.Doctor.Lines;
using BotCore.MigrationPortal.Doctor.Privileges;

namespace BotCore.MigrationPortal.Doctor;

/// <summary>Turns what was read into the lines of a check-up, in the order they are shown. Pure.</summary>
public static class DoctorEvaluation
{
    public static IReadOnlyList<DoctorLine> Lines(ServerFacts facts, BackupLocationReading location) =>
    [
        ServerVersionLine.Evaluate(facts.Version, facts.FeatureCompatibility),
        TopologyLine.Evaluate(facts.Topology, facts.SetName, facts.Version),
        .. PrivilegeLines.Evaluate(facts.Privileges, facts.Database),
        ClockLine.Evaluate(facts.Clock),
        BackupLocationLine.Evaluate(location, facts.Size),
    ];

    /// <summary>
    /// A simulated target: every line is there, and says "simulated" where there is no server to look at; the backup folder is
    /// this machine's, so it is checked for real (against a database that holds nothing).
    /// </summary>
    public static IReadOnlyList<DoctorLine> SimulatedLines(BackupLocationReading location) =>
    [
        DoctorLine.SimulatedPass(ServerVersionLine.Id, ServerVersionLine.Title,
            "no MongoDB server, no featureCompatibilityVersion: the sandbox applies the steps to an in-memory catalog"),
        DoctorLine.SimulatedPass(TopologyLine.Id, TopologyLine.Title,
            "no replica set: run events and jobs stay in this process, so neither change streams nor transactions are needed"),
        .. FeaturePrivileges.All.Select(feature => DoctorLine.SimulatedPass(feature.Id, $"Privileges to {feature.Feature}",
            "no MongoDB user; against MongoDB the README's table says which roles it needs")),
        DoctorLine.SimulatedPass(ClockLine.Id, ClockLine.Title, "no server clock: the sandbox keeps time with this machine's"),
        BackupLocationLine.Evaluate(location, new DatabaseSize(0, 0), simulatedSize: true),
    ];
}
