using BotCore.MigrationPortal.Audit;

namespace BotCore.MigrationPortal.Tests.Unit.Audit;

/// <summary>Valid audit chains for tests, built the way the log builds them.</summary>
internal static class AuditTestData
{
    public static readonly DateTime Start = new(2026, 11, 24, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>The i-th record (from 0): users, actions and targets take turns so that filters have something to pick.</summary>
    public static AuditRecord Record(int i) => new(
        User: Users[i % Users.Length],
        Role: "Operator",
        Action: Actions[i % Actions.Length],
        Target: Targets[i % Targets.Length],
        RunId: i % 2 == 0 ? $"run-{i}" : null,
        Details: $"entry {i}");

    public static readonly string[] Users = ["alice", "bob", "carol"];
    public static readonly string[] Actions = [AuditActions.RunCreated, AuditActions.Approved, AuditActions.RunStateChanged, AuditActions.SignIn];
    public static readonly string[] Targets = ["staging", "production"];

    /// <summary>A valid chain of <paramref name="count"/> entries, one every <paramref name="spacing"/> (a minute by default), produced lazily.</summary>
    public static IEnumerable<AuditEntry> Chain(int count, TimeSpan? spacing = null)
    {
        AuditEntry? previous = null;
        for (var i = 0; i < count; i++)
        {
            previous = AuditEntry.Next(previous, Record(i), Start + i * (spacing ?? TimeSpan.FromMinutes(1)));
            yield return previous;
        }
    }
}
