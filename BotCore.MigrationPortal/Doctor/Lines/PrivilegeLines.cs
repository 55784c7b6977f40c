using BotCore.MigrationPortal.Doctor.Privileges;

namespace BotCore.MigrationPortal.Doctor.Lines;

/// <summary>One line per feature: does the connecting user hold what it needs on the target (<see cref="FeaturePrivileges"/>)?</summary>
public static class PrivilegeLines
{
    public static IReadOnlyList<DoctorLine> Evaluate(HeldPrivileges held, string database)
    {
        if (held.AccessControlOff)
        {
            return
            [
                DoctorLine.Warn("privileges", "Privileges",
                    "access control is off on this server: nobody signed in, yet it answers, so every feature is allowed to anyone who connects",
                    "Turn authorization on (security.authorization: enabled) and connect as a user with the roles the README lists for each feature."),
            ];
        }
        return FeaturePrivileges.All.Select(feature => Evaluate(held, database, feature)).ToList();
    }

    public static DoctorLine Evaluate(HeldPrivileges held, string database, FeatureRequirement feature)
    {
        var title = $"Privileges to {feature.Feature}";
        var who = held.Authenticated ? string.Join(", ", held.Users) : "nobody (no user in the connection string)";
        var missing = feature.For(database)
            .Select(required => (required.Resource, Actions: held.Missing(required)))
            .Where(m => m.Actions.Count > 0)
            .Select(m => $"{string.Join(", ", m.Actions)} on {m.Resource}")
            .ToList();
        if (missing.Count == 0) return DoctorLine.Pass(feature.Id, title, $"{who} holds what it needs");
        var finding = $"{who} lacks {string.Join("; ", missing)}";
        var advice = $"Grant {Describe(feature, database)} (README, \"The roles the target's user needs\").";
        return feature.Blocking ? DoctorLine.Fail(feature.Id, title, finding, advice) : DoctorLine.Warn(feature.Id, title, finding, advice);
    }

    private static string Describe(FeatureRequirement feature, string database)
    {
        var roles = feature.Roles == "—" ? "" : $"{Plain(feature.Roles)} on {database}";
        var beyond = feature.Beyond == "—" ? "" : Plain(feature.Beyond).Replace("<db>", database, StringComparison.Ordinal);
        return string.Join("; and ", new[] { roles, beyond }.Where(s => s.Length > 0));
    }

    // The README's cells without their Markdown code marks.
    private static string Plain(string cell) => cell.Replace("`", "", StringComparison.Ordinal);
}
