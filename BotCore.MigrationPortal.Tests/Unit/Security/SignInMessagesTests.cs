using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

public sealed class SignInMessagesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 14, 32, 10, TimeSpan.Zero);

    [Fact]
    public void A_lock_says_until_when_in_UTC_and_how_long_that_is()
    {
        var message = SignInMessages.For(SignInError.LockedOut, Now.AddMinutes(15), Now);

        Assert.Contains("until 14:47 UTC (in 15 minutes)", message);
        Assert.Contains("ask an Admin to unlock it", message);
    }

    [Fact]
    public void A_lock_with_less_than_a_minute_left_says_one_minute() =>
        Assert.Contains("(in 1 minute)", SignInMessages.For(SignInError.LockedOut, Now.AddSeconds(20), Now));

    [Theory]
    [InlineData(null)]
    [InlineData(-5)]
    public void A_lock_without_a_usable_end_still_explains_itself(int? minutesFromNow)
    {
        var message = SignInMessages.For(SignInError.LockedOut, minutesFromNow is { } m ? Now.AddMinutes(m) : null, Now);

        Assert.StartsWith("This account was locked after 5 failed sign-ins.", message);
    }

    [Theory]
    [InlineData(SignInError.WrongNameOrPassword, "Wrong name or password.")]
    [InlineData(SignInError.Disabled, "This account is disabled. Ask an Admin to enable it.")]
    [InlineData(SignInError.MissingNameOrPassword, "Enter your name and your password.")]
    [InlineData(SignInError.FormExpired, "The sign-in form had expired. Sign in again.")]
    public void Each_error_has_a_clear_message(SignInError error, string message) =>
        Assert.Equal(message, SignInMessages.For(error, null, Now));
}
