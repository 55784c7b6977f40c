using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

public sealed class SignInMessagesTests
{
    [Fact]
    public void The_one_answer_to_a_failed_sign_in_names_no_cause_but_says_what_a_person_can_do()
    {
        var message = SignInMessages.For(SignInError.WrongNameOrPassword);

        Assert.StartsWith("Wrong name or password, or this account may not sign in now.", message);
        Assert.Contains("locked for 15 minutes for the address they came from", message);
        Assert.Contains("an Admin can unlock it sooner", message);
        Assert.DoesNotContain("disabled", message);
    }

    [Theory]
    [InlineData(SignInError.MissingNameOrPassword, "Enter your name and your password.")]
    [InlineData(SignInError.FormExpired, "The sign-in form had expired. Sign in again.")]
    [InlineData(SignInError.HttpsRequired, "This portal signs in only over HTTPS. Open it with an https:// address (or through the TLS proxy in front of it).")]
    public void Each_error_has_a_clear_message(SignInError error, string message) =>
        Assert.Equal(message, SignInMessages.For(error));

    [Fact]
    public void Every_error_has_its_own_message() =>
        Assert.Equal(Enum.GetValues<SignInError>().Length, Enum.GetValues<SignInError>().Select(SignInMessages.For).Distinct().Count());
}
