using System.Security.Cryptography;
using System.Text;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Backups.Rehearsal;

/// <summary>
/// Applies masking rules to documents as they are restored. A hashed value becomes the lowercase hex HMAC-SHA256 of its text (a
/// string as it is, anything else as its relaxed extended JSON, prefixed with its BSON type so that 1 and "1" differ) under the
/// portal's salt: the same value gives the same hash in every rehearsal of this portal, so equal values stay equal (joins, unique
/// indexes, counts by value hold), and without the salt nobody can test guesses against it. A missing field stays missing.
/// </summary>
public sealed class DocumentMasker
{
    private readonly byte[] salt;
    private readonly ILookup<string, MaskingRule> byCollection;

    public DocumentMasker(IReadOnlyList<MaskingRule> rules, byte[] salt)
    {
        this.salt = salt;
        Rules = rules;
        byCollection = rules.ToLookup(r => r.Collection, StringComparer.Ordinal);
    }

    public IReadOnlyList<MaskingRule> Rules { get; }

    public bool Masks(string collection) => byCollection.Contains(collection);

    /// <summary>The document with the collection's rules applied (the same instance, changed); unchanged when none applies.</summary>
    public BsonDocument Mask(string collection, BsonDocument document)
    {
        foreach (var rule in byCollection[collection]) Apply(document, rule.Field.Split('.'), 0, rule);
        return document;
    }

    /// <summary>The HMAC-SHA256 of the value's text under the salt, as lowercase hex.</summary>
    public string Hash(BsonValue value)
    {
        var text = value.IsString ? value.AsString : $"{value.BsonType}:{value.ToJson()}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(text)));
    }

    private void Apply(BsonDocument document, string[] path, int at, MaskingRule rule)
    {
        if (!document.TryGetValue(path[at], out var value)) return;
        if (at < path.Length - 1)
        {
            // An array of embedded documents is masked element by element, as a query on the same path would match them.
            var inner = value switch
            {
                BsonDocument embedded => [embedded],
                BsonArray array => array.OfType<BsonDocument>().ToList(),
                _ => new List<BsonDocument>(),
            };
            foreach (var embedded in inner) Apply(embedded, path, at + 1, rule);
            return;
        }
        switch (rule.Kind)
        {
            case MaskingKind.Remove:
                document.Remove(path[at]);
                break;
            case MaskingKind.Fixed:
                document[path[at]] = rule.Value ?? "";
                break;
            default:
                if (!value.IsBsonNull) document[path[at]] = Hash(value);
                break;
        }
    }
}
