namespace BotCore.MigrationPortal.Text;

/// <summary>
/// A sentence (an exception's message, a reason) used inside another sentence: without its final period, which the outer
/// sentence owns. Otherwise "failed: the disk is full.. Nothing was kept".
/// </summary>
public static class Clause
{
    public static string Of(string sentence) => sentence.TrimEnd().TrimEnd('.');
}
