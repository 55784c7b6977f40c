namespace BotCore.MigrationPortal.Engine.Mongosh;

/// <summary>
/// What one step sends to MongoDB, as mongosh statements: each a line of its own, with comment lines for the conditions the step
/// tests before it acts and for what has no command to show (custom code).
/// </summary>
public sealed record MongoshStatements(IReadOnlyList<string> Lines)
{
    public static MongoshStatements Of(params string[] lines) => new(lines);

    /// <summary>No command: only a comment saying why.</summary>
    public static MongoshStatements Comment(string text) => new([MongoshComment.Line(text)]);

    /// <summary>Whether the step sends data-step batches through the script's <see cref="MongoshBatches.Helper"/>.</summary>
    public bool UsesBatches => Lines.Any(line => line.StartsWith(MongoshBatches.Call, StringComparison.Ordinal));

    public MongoshStatements Then(MongoshStatements next) => new([.. Lines, .. next.Lines]);

    public string Text => string.Join('\n', Lines);
}

public static class MongoshComment
{
    /// <summary>A <c>//</c> comment; a line break in the text (from a description) would end the comment, so it becomes a space.</summary>
    public static string Line(string text) => "// " + text.ReplaceLineEndings(" ");
}
