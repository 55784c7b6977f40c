using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Steps;
using static BotCore.MigrationPortal.Tests.Unit.EngineTestData;

namespace BotCore.MigrationPortal.Tests.Unit;

public sealed partial class MigrationChecksumTests
{
    public static TheoryData<string> AllVersions => new(Versions);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex LowerHexSha256();

    [Fact]
    public void The_checksum_is_the_lowercase_hex_sha256_of_the_source()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", MigrationChecksum.Of("abc"));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", MigrationChecksum.Of(""));
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Changing_one_character_of_a_migration_changes_its_checksum(string version)
    {
        var source = MigrationAt(version).Source;
        var at = source.IndexOf(version, StringComparison.Ordinal);
        var edited = string.Concat(source.AsSpan(0, at), "9", source.AsSpan(at + 1));

        Assert.Equal(source.Length, edited.Length);
        Assert.Single(source.Zip(edited), pair => pair.First != pair.Second);
        Assert.NotEqual(MigrationChecksum.Of(source), MigrationChecksum.Of(edited));
    }

    [Theory]
    [InlineData("a\r\nb\r\n", "a\nb\n")]
    [InlineData("a\rb\r", "a\nb\n")]
    [InlineData("a\r\nb\nc\rd", "a\nb\nc\nd")]
    public void Line_endings_do_not_change_the_checksum(string windows, string unix) =>
        Assert.Equal(MigrationChecksum.Of(unix), MigrationChecksum.Of(windows));

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void A_migration_checked_out_with_CRLF_has_the_same_checksum(string version)
    {
        var migration = MigrationAt(version);

        Assert.Equal(migration.Checksum, MigrationChecksum.Of(migration.Source.Replace("\r\n", "\n").Replace("\n", "\r\n")));
    }

    [Fact]
    public void Whitespace_other_than_line_endings_changes_the_checksum() =>
        Assert.NotEqual(MigrationChecksum.Of("a\nb"), MigrationChecksum.Of("a \nb"));

    [Theory]
    [InlineData("1.0.0", "001_InitialSchema.cs")]
    [InlineData("1.1.0", "002_PaperTrading.cs")]
    [InlineData("1.2.0", "003_AiAnalysisCache.cs")]
    [InlineData("1.3.0", "004_RiskMetrics.cs")]
    public void Each_migration_comes_from_its_numbered_file(string version, string fileName) =>
        Assert.Equal(fileName, MigrationAt(version).SourceFileName);

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void The_registered_source_is_the_file_in_migrations_on_disk(string version)
    {
        var migration = MigrationAt(version);
        var onDisk = File.ReadAllText(Path.Combine(RepositoryRoot, "migrations", migration.SourceFileName));

        Assert.Equal(onDisk, migration.Source);
        Assert.Equal(MigrationChecksum.Of(onDisk), migration.Checksum);
        Assert.Matches(LowerHexSha256(), migration.Checksum);
        Assert.Equal(migration.Checksum[..12], migration.ShortChecksum);
    }

    [Fact]
    public void Every_file_in_migrations_is_registered() =>
        Assert.Equal(
            Directory.GetFiles(Path.Combine(RepositoryRoot, "migrations"), "*.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Registry.Migrations.Select(m => m.SourceFileName));

    [Fact]
    public void Two_migrations_of_the_same_version_are_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new MigrationRegistry([Stub("1.0.0"), Stub("1.1.0"), Stub("1.0.0")]));

        Assert.Contains("Two migrations declare version 1.0.0", error.Message);
    }

    [Fact]
    public void A_migration_of_version_0_0_0_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => new MigrationRegistry([Stub("0.0.0")]));

    [Fact]
    public void The_registry_orders_migrations_by_version_and_knows_the_one_before_each()
    {
        var registry = new MigrationRegistry([Stub("1.10.0"), Stub("1.2.0"), Stub("1.9.0")]);

        Assert.Equal(["1.2.0", "1.9.0", "1.10.0"], registry.Migrations.Select(m => m.Version.ToString()));
        Assert.Equal(V("1.10.0"), registry.Latest);
        Assert.Equal(V("1.9.0"), registry.Previous(V("1.10.0")));
        Assert.Equal(SchemaVersion.Zero, registry.Previous(V("1.2.0")));
        Assert.True(registry.IsKnown(SchemaVersion.Zero));
        Assert.False(registry.IsKnown(V("1.3.0")));
    }

    [Fact]
    public void A_registry_without_migrations_is_at_0_0_0() =>
        Assert.Equal(SchemaVersion.Zero, new MigrationRegistry([]).Latest);

    private static RegisteredMigration Stub(string version) => RegisteredMigration.FromSource(new StubMigration(version), $"// {version}");

    private sealed class StubMigration(string version) : Migration(version, $"stub {version}")
    {
        public override IReadOnlyList<IMigrationStep> Steps => [];
    }
}
