using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// Keeps ASP.NET Core's data-protection keys in the portal store, so every portal instance can read the sign-in
/// cookies and antiforgery tokens of the others, and a restart does not sign everyone out.
/// </summary>
public sealed class MongoXmlRepository(PortalDatabase portal) : IXmlRepository
{
    private readonly IMongoCollection<StoredKey> keys = portal.Database.GetCollection<StoredKey>("data_protection_keys");

    public IReadOnlyCollection<XElement> GetAllElements() =>
        keys.Find(FilterDefinition<StoredKey>.Empty).ToList().Select(k => XElement.Parse(k.Xml)).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        keys.InsertOne(new StoredKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });

    private sealed record StoredKey
    {
        [BsonId] public MongoDB.Bson.ObjectId Id { get; init; } = MongoDB.Bson.ObjectId.GenerateNewId();
        public required string FriendlyName { get; init; }
        public required string Xml { get; init; }
    }
}
