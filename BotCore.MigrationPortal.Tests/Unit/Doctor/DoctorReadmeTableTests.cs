using BotCore.MigrationPortal.Doctor.Privileges;
using BotCore.MigrationPortal.Tests.EndToEnd;

namespace BotCore.MigrationPortal.Tests.Unit.Doctor;

/// <summary>The README's table of roles and the doctor's <see cref="FeaturePrivileges"/> say the same, cell for cell.</summary>
public sealed class DoctorReadmeTableTests
{
    [Fact]
    public void The_README_roles_table_has_one_row_per_feature_the_doctor_checks_with_the_same_roles()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"));
        var start = Array.FindIndex(readme, line => line.StartsWith("| feature | roles on the target database", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md has no roles table");
        var rows = readme.Skip(start + 2).TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Trim('|').Split(" | ").Select(cell => cell.Trim()).ToArray())
            .ToList();

        Assert.Equal(FeaturePrivileges.All.Select(f => new[] { f.Readme, f.Roles, f.Beyond }), rows);
    }
}
