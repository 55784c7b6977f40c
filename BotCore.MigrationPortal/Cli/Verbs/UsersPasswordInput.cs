using System.Text;
using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary>
/// The password for <c>users add</c>: from BOTCORE_USER_PASSWORD, else one line of standard input. Never from an
/// argument, which shells keep in their history and other users see in the process list.
/// </summary>
public sealed class UsersPasswordInput(IConfiguration configuration, Func<string?> readLine)
{
    public const string EnvironmentVariable = "BOTCORE_USER_PASSWORD";

    /// <exception cref="BadInputException">Neither gives a password.</exception>
    public string Read()
    {
        // The CLI's configuration includes the environment variables, so this is the environment variable.
        var password = configuration[EnvironmentVariable];
        if (string.IsNullOrEmpty(password)) password = readLine();
        return string.IsNullOrEmpty(password)
            ? throw new BadInputException($"No password: set {EnvironmentVariable}, or give it as one line on standard input (echo \"$PASSWORD\" | … users add …).")
            : password;
    }

    /// <summary>One line of standard input; typed at a terminal, it is not shown.</summary>
    public static string? ReadStandardInput(TextWriter prompt)
    {
        if (Console.IsInputRedirected) return Console.In.ReadLine();
        prompt.Write("Password (not shown): ");
        var typed = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && typed.Length > 0) typed.Length--;
            else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
        }
        prompt.WriteLine();
        return typed.ToString();
    }
}
