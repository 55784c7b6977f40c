using System.Security.Cryptography;
using System.Text;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace BotCore.MigrationPortal.Backups.Rehearsal;

/// <summary>
/// Applies masking rules to documents as they are restored. A hashed value becomes the lowercase hex HMAC-SHA256 of its text (a
/// string as it is, anything else as its relaxed extended JSON, prefixed with its BSON type so that 1 and "1" differ) under the
/// portal's salt: the same value gives the same hash in every rehearsal of this portal, so equal values stay equal (joins, unique
/// indexes, counts by value hold), and without the salt nobody can test guesses against it. An array is hashed element by element,
/// so that it stays an array and its elements hash as the same values do elsewhere. A missing field stays missing.
/// </summary>
public sealed class DocumentMasker
{
    /// <summary>MongoDB's <c>maxBsonObjectSize</c>: a masked document over it cannot be inserted.</summary>
    public const int MaxDocumentBytes = 16 * 1024 * 1024;

    /// <summary>How many hex characters of the hash <c>hash-email</c> keeps before <c>@masked.invalid</c> (96 bits: still unique).</summary>
    private const int EmailHashLength = 24;

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
    /// <param name="changed">When given, each rule's count of the values it changed (replaced or removed) is added to.</param>
    public BsonDocument Mask(string collection, BsonDocument document, IDictionary<MaskingRule, long>? changed = null)
    {
        foreach (var rule in byCollection[collection])
        {
            var count = Apply(document, rule.Field.Split('.'), 0, rule);
            if (changed is not null) changed[rule] = changed.TryGetValue(rule, out var before) ? before + count : count;
        }
        return document;
    }

    /// <summary>The document's bytes as read from a backup with the collection's rules applied, as the <c>insert</c> command carries them.</summary>
    /// <exception cref="BackupFailedException">The document has a field name twice (it can be restored as it is, not masked), or is over 16 MiB once masked.</exception>
    public byte[] Mask(string collection, byte[] document, IDictionary<MaskingRule, long>? changed = null)
    {
        BsonDocument read;
        try
        {
            read = BsonSerializer.Deserialize<BsonDocument>(document);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("Duplicate element name", StringComparison.Ordinal))
        {
            // Old data can hold such documents; their raw bytes restore as they are, but a rule could not tell which of the twins to mask.
            throw new BackupFailedException($"{collection}: a document has a field name twice ({e.Message.TrimEnd('.')}), so it cannot be masked; " +
                "restore without masking this collection, or fix the document at the source", e);
        }
        var masked = Mask(collection, read, changed).ToBson();
        return masked.Length <= MaxDocumentBytes ? masked
            : throw new BackupFailedException($"{collection}: a document is {masked.Length:N0} bytes once masked, over MongoDB's 16 MiB document limit " +
                $"({MaxDocumentBytes:N0} bytes); mask fewer or shorter fields of it");
    }

    /// <summary>The HMAC-SHA256 of the value's text under the salt, as lowercase hex.</summary>
    public string Hash(BsonValue value)
    {
        var text = value.IsString ? value.AsString : $"{value.BsonType}:{value.ToJson()}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The hash as an e-mail address a validator's e-mail pattern takes: <c>&lt;24 hex&gt;@masked.invalid</c> (the .invalid domain never delivers).</summary>
    public string HashEmail(BsonValue value) => $"{Hash(value)[..EmailHashLength]}@masked.invalid";

    /// <returns>How many values it changed.</returns>
    private long Apply(BsonDocument document, string[] path, int at, MaskingRule rule)
    {
        if (!document.TryGetValue(path[at], out var value)) return 0;
        if (at < path.Length - 1)
        {
            // An array of embedded documents is masked element by element, as a query on the same path would match them.
            var inner = value switch
            {
                BsonDocument embedded => [embedded],
                BsonArray array => array.OfType<BsonDocument>().ToList(),
                _ => new List<BsonDocument>(),
            };
            return inner.Sum(embedded => Apply(embedded, path, at + 1, rule));
        }
        switch (rule.Kind)
        {
            case MaskingKind.Remove:
                document.Remove(path[at]);
                return 1;
            case MaskingKind.Fixed:
                document[path[at]] = rule.Value ?? "";
                return 1;
            default:
                long count = 0;
                document[path[at]] = Hashed(value, rule.Kind, ref count);
                return count;
        }
    }

    /// <summary>The value hashed; an array keeps its shape and has each element hashed (nested arrays alike); null stays null.</summary>
    private BsonValue Hashed(BsonValue value, MaskingKind kind, ref long count)
    {
        if (value.IsBsonNull) return value;
        if (value is BsonArray array)
        {
            var elements = new BsonArray(array.Count);
            foreach (var element in array) elements.Add(Hashed(element, kind, ref count));
            return elements;
        }
        count++;
        return kind == MaskingKind.HashEmail ? HashEmail(value) : Hash(value);
    }
}
