using MongoDB.Driver;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>The portal's own MongoDB database (not a target), shared by the stores of each feature.</summary>
/// <param name="SupportsChangeStreams">A replica set: events reach other portal instances by change stream, not polling.</param>
public sealed record PortalDatabase(IMongoDatabase Database, string Address, bool SupportsChangeStreams);
