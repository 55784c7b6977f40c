using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.EndToEnd;
using BotCore.MigrationPortal.Tests.Integration.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using static BotCore.MigrationPortal.Tests.Support.SecurityTestUsers;

namespace BotCore.MigrationPortal.Tests.Unit.Hosting;

/// <summary>The password policy (OWASP ASVS 2.1, NIST SP 800-63B): each refusal says why and what to do instead.</summary>
public sealed class PasswordPolicyTests
{
    private const string Advice = "Choose a longer passphrase, e.g. four unrelated words.";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("tulipviolin")]
    [InlineData("🎵🎶🎷🎸🎹🎺")] // 6 characters, though 12 UTF-16 units
    public void A_password_under_12_characters_is_refused(string? password) =>
        Assert.Equal($"A password needs at least 12 characters. {Advice}", PasswordPolicy.Problem(password));

    [Fact]
    public void Twelve_characters_are_enough() => Assert.Null(PasswordPolicy.Problem("tulip-violin"));

    [Fact]
    public void A_password_over_1024_characters_is_refused_and_the_limit_is_named()
    {
        var longest = string.Concat(Enumerable.Range(0, 1024).Select(i => (char)('a' + i * 7 % 26)));

        Assert.Null(PasswordPolicy.Problem(longest));
        Assert.Equal("A password has at most 1024 characters. Choose a shorter passphrase.", PasswordPolicy.Problem(longest + "x"));
    }

    [Theory]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("ZZZZZZZZZZZZZZZZZZZZ")]
    [InlineData("abababababab")]
    [InlineData("hunter2hunter2")]
    [InlineData("Passw0rdPassw0rd")]
    public void One_character_or_a_short_group_repeated_is_refused(string password) =>
        Assert.Equal($"A password that repeats a few characters (like aaaa… or abcabc…) is guessed as soon as they are. {Advice}", PasswordPolicy.Problem(password));

    [Theory]
    [InlineData("123456789012")]
    [InlineData("098765432109")]
    [InlineData("abcdefghijkl")]
    [InlineData("NOPQRSTUVWXYZABC")]
    [InlineData("qwertyuiopas")]
    [InlineData("lkjhgfdsapoiuytrewq")]
    [InlineData("azertyuiopqsdf")]
    [InlineData("qwertzuiopasdfghjkly")]
    public void A_keyboard_alphabet_or_number_sequence_is_refused(string password) =>
        Assert.Equal($"A keyboard, alphabet or number sequence (like qwerty… or 1234…) is among the first guesses. {Advice}", PasswordPolicy.Problem(password));

    [Theory]
    [InlineData("leavemealone")]
    [InlineData("LeaveMeAlone")]
    [InlineData("whosyourdaddy")]
    [InlineData("1qaz2wsx3edc")]
    [InlineData("sunshine2024!!")]
    [InlineData("Dragon!!!!!!!!")]
    [InlineData("iloveyou12345")]
    public void A_common_password_from_breaches_is_refused_also_with_digits_or_symbols_added(string password) =>
        Assert.Equal($"This password is on a list of the most common passwords from breaches, which attackers try first. {Advice}", PasswordPolicy.Problem(password));

    [Theory]
    [InlineData("alice-in-wonderland-9", "alice")]
    [InlineData("my ADA lovelace tribute", "ada")]
    [InlineData("olgas new password", "Olga")]
    public void A_password_holding_the_users_name_is_refused(string password, string name)
    {
        Assert.Equal($"A password must not contain the user's name ({name}). {Advice}", PasswordPolicy.Problem(password, name));
        Assert.Null(PasswordPolicy.Problem(password, "bob"));
    }

    [Fact]
    public void A_name_of_one_or_two_characters_is_not_looked_for() =>
        Assert.Null(PasswordPolicy.Problem("alpine meadow lantern", "al"));

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("tarmac violin pebble orbit")]
    [InlineData("all lowercase, no digit at all")]
    [InlineData("Ünïcödé wörds àrë fïné")]
    [InlineData("sunshine over the harbour")]
    public void A_passphrase_is_accepted_without_any_composition_rule(string password) =>
        Assert.Null(PasswordPolicy.Problem(password, "alice"));

    [Fact]
    public async Task A_sandbox_demo_password_holding_a_demo_users_name_is_refused_at_start_up()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SandboxDemoUsers.PasswordSetting] = "victor-and-his-demo-password" }).Build();
        var store = new InMemoryUserStore();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SandboxDemoUsers.SeedAsync(store, Hasher, configuration, new FakeTimeProvider(), TextWriter.Null, TestContext.Current.CancellationToken));

        Assert.Equal($"Sandbox:DemoPassword is not a usable password: A password must not contain the user's name (victor). {Advice}", refused.Message);
        Assert.Empty(await store.ListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void The_demo_passwords_of_the_tests_pass_for_every_demo_user() =>
        Assert.All(SandboxDemoUsers.Accounts, account =>
        {
            Assert.Null(PasswordPolicy.Problem(SandboxPortal.Password, account.Name));
            Assert.Null(PasswordPolicy.Problem(InProcessPortal.Password, account.Name));
        });
}
