using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Backups.Layout;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Backups.Rehearsal;

/// <summary>
/// Whether what a masking rule writes is taken by the collection's validator in the backup's metadata. The restore inserts with
/// bypassDocumentValidation, so a value the validator refuses would be stored; under validationLevel strict (the default) every
/// later update of that document, a migration's included, then fails on the rehearsal target where it would not in production.
/// A <c>$jsonSchema</c> is followed along the rule's path (through <c>items</c> for arrays); a query validator cannot be evaluated
/// for a value, so a rule on a field it names is refused.
/// </summary>
public static class MaskingValidation
{
    private static readonly string HashSample = new('a', 64);
    private const string HashEmailSample = "aaaaaaaaaaaaaaaaaaaaaaaa@masked.invalid";

    /// <summary>Null when the validator takes what the rule writes (or there is none that acts), else why not.</summary>
    public static string? Problem(MaskingRule rule, CollectionMetadata metadata)
    {
        if (metadata.Options.GetValue("validator", BsonNull.Value) is not BsonDocument validator) return null;
        // Off validates nothing; warn only logs, so the updates do not fail.
        if (metadata.Options.GetValue("validationLevel", "strict") == "off" || metadata.Options.GetValue("validationAction", "error") == "warn") return null;
        var path = rule.Field.Split('.');
        // An expression names its fields in strings ("$email"), which a look at the keys does not see: such a validator is not read.
        if (validator.ToJson().Contains("\"$expr\"", StringComparison.Ordinal) || validator.ToJson().Contains("\"$where\"", StringComparison.Ordinal))
        {
            return "the collection's validator holds an expression ($expr or $where), and whether it takes the masked value cannot be told before restoring";
        }
        if (NamesField(new BsonDocument(validator.Elements.Where(e => e.Name != "$jsonSchema")), rule.Field))
        {
            return $"the collection's query validator names {rule.Field}, and whether it takes the masked value cannot be told before restoring";
        }
        if (validator.GetValue("$jsonSchema", BsonNull.Value) is not BsonDocument schema) return null;

        var node = schema;
        for (var i = 0; i < path.Length; i++)
        {
            node = ElementsOf(node);
            if (rule.Kind == MaskingKind.Remove && i == path.Length - 1 && node.GetValue("required", new BsonArray()) is BsonArray required && required.Contains(path[i]))
            {
                return $"the validator requires {rule.Field}, so a document without it breaks the validator and then refuses every update";
            }
            if (node.GetValue("properties", BsonNull.Value) is not BsonDocument properties || properties.GetValue(path[i], BsonNull.Value) is not BsonDocument next) return null;
            node = next;
        }
        if (rule.Kind == MaskingKind.Remove) return null;
        // A hash keeps an array's shape and hashes its elements; fixed writes one string in place of the whole value.
        var leaf = rule.Kind == MaskingKind.Fixed ? node : ElementsOf(node);
        var written = rule.Kind switch { MaskingKind.Fixed => rule.Value ?? "", MaskingKind.HashEmail => HashEmailSample, _ => HashSample };
        var problem = Refusal(leaf, written, rule.Kind);
        return problem is null ? null
            : $"the validator's rule for {rule.Field} {problem}, and the restore would store it anyway, after which every update of such a document fails" +
              (rule.Kind == MaskingKind.Hash && Refusal(leaf, HashEmailSample, MaskingKind.HashEmail) is null ? "; hash-email writes an address it takes" : "");
    }

    /// <summary>Why the schema does not take the string, or null.</summary>
    private static string? Refusal(BsonDocument schema, string written, MaskingKind kind)
    {
        var what = kind == MaskingKind.Fixed ? $"\"{written}\"" : kind == MaskingKind.HashEmail ? "a hash-email address" : "a 64-character hex hash";
        var type = schema.GetValue("bsonType", schema.GetValue("type", BsonNull.Value));
        if (!type.IsBsonNull && !(type == "string" || type is BsonArray types && types.Contains("string"))) return $"wants {Inline(type)}, not a string";
        if (schema.GetValue("enum", BsonNull.Value) is BsonArray allowed && !allowed.Contains(written)) return $"takes only {Inline(allowed)}, not {what}";
        if (schema.GetValue("minLength", BsonNull.Value) is { IsNumeric: true } min && written.Length < min.ToInt64()) return $"wants at least {min} characters, more than {what} has";
        if (schema.GetValue("maxLength", BsonNull.Value) is { IsNumeric: true } max && written.Length > max.ToInt64()) return $"takes at most {max} characters, fewer than {what} has";
        if (schema.GetValue("pattern", BsonNull.Value) is { IsString: true } pattern && !Matches(pattern.AsString, written)) return $"has the pattern {pattern.AsString}, which {what} does not match";
        return null;
    }

    /// <summary>Checked with .NET's regular expressions, which read a validator's usual patterns as MongoDB's PCRE does; one it cannot read refuses.</summary>
    private static bool Matches(string pattern, string written)
    {
        try
        {
            return Regex.IsMatch(written, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>The schema of an array's elements when the node describes an array, else the node.</summary>
    private static BsonDocument ElementsOf(BsonDocument node) => node.GetValue("items", BsonNull.Value) is BsonDocument items ? items : node;

    private static bool NamesField(BsonValue value, string field) => value switch
    {
        BsonDocument document => document.Elements.Any(e =>
            (!e.Name.StartsWith('$') && (e.Name == field || e.Name.StartsWith(field + ".", StringComparison.Ordinal) || field.StartsWith(e.Name + ".", StringComparison.Ordinal)))
            || NamesField(e.Value, field)),
        BsonArray array => array.Any(v => NamesField(v, field)),
        _ => false,
    };

    private static string Inline(BsonValue value) => value.ToJson();
}
