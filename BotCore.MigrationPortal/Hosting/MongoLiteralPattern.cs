using System.Text;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// A regular expression for MongoDB's <c>$regex</c> that matches a person's text literally. Regex.Escape is .NET's dialect, not
/// PCRE's (it leaves ']' and '}' alone and escapes spaces as "\ ", which PCRE reads differently in extended mode), so every
/// character PCRE gives a meaning outside a class is escaped here by hand with a backslash, and nothing else: a backslash before
/// a letter or digit would itself mean something (\d, \1).
/// </summary>
public static class MongoLiteralPattern
{
    private const string Meta = @"\^$.|?*+()[]{}-/#";

    public static string Of(string text)
    {
        var pattern = new StringBuilder(text.Length * 2);
        foreach (var c in text)
        {
            if (Meta.Contains(c)) pattern.Append('\\');
            pattern.Append(c);
        }
        return pattern.ToString();
    }
}
