using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Notifications;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace BotCore.MigrationPortal.Tests.Unit.Notifications;

/// <summary>What the Mongo store writes reads back the same (no server needed: the driver's own serializers with the portal's conventions).</summary>
public sealed class NotificationBsonTests
{
    [Fact]
    public void A_delivery_and_a_channel_round_trip_through_bson()
    {
        PortalBson.Register();
        var delivery = new NotificationDelivery
        {
            Id = "ntf-1", ChannelId = "ch-1", ChannelName = "hook", ChannelKind = ChannelKind.Webhook, Status = DeliveryStatus.Failed,
            Event = new PortalEvent(PortalEventKind.RunFailed, new DateTime(2026, 12, 2, 3, 0, 0, DateTimeKind.Utc), "dev", "run-1", "failed", "boom")
            {
                Contacts = ["DBA on-call: Ann, +41 00 000 00 00"],
            },
            Attempts = [new DeliveryAttempt(1, new DateTime(2026, 12, 2, 3, 0, 1, DateTimeKind.Utc), false, "HTTP 500", "down")],
            CreatedAt = new DateTime(2026, 12, 2, 3, 0, 0, DateTimeKind.Utc),
        };
        var channel = new NotificationChannel
        {
            Id = "ch-1", Name = "hook", Kind = ChannelKind.Email, SmtpHost = "smtp", MailTo = "a@example.com", Events = [PortalEventKind.RunFailed, PortalEventKind.RestoreDone],
            UpdatedBy = "ada", UpdatedAt = new DateTime(2026, 12, 2, 3, 0, 0, DateTimeKind.Utc), Revision = 3,
        };

        var document = delivery.ToBsonDocument();
        var read = BsonSerializer.Deserialize<NotificationDelivery>(document);
        var channelDocument = channel.ToBsonDocument();
        var readChannel = BsonSerializer.Deserialize<NotificationChannel>(channelDocument);

        Assert.Equal("RunFailed", document["event"]["kind"].AsString);
        Assert.Equal(delivery.Event with { Contacts = [] }, read.Event with { Contacts = [] });
        Assert.Equal(delivery.Event.Contacts, read.Event.Contacts);
        Assert.Equal(delivery.Attempts, read.Attempts);
        Assert.Equal((delivery.Id, delivery.Status, delivery.ChannelName), (read.Id, read.Status, read.ChannelName));
        Assert.Equal(channel.Events, readChannel.Events);
        Assert.Equal(channel with { Events = readChannel.Events }, readChannel);
        Assert.Equal(new BsonArray { "RunFailed", "RestoreDone" }, channelDocument["events"].AsBsonArray);
    }

    [Fact]
    public void A_delivery_stored_before_contacts_existed_reads_without_them_and_a_channel_stored_with_event_numbers_reads_its_events()
    {
        PortalBson.Register();
        var delivery = new NotificationDelivery
        {
            Id = "ntf-1", ChannelId = "ch-1", ChannelName = "hook", ChannelKind = ChannelKind.Webhook, Status = DeliveryStatus.Pending,
            Event = new PortalEvent(PortalEventKind.RunFailed, new DateTime(2026, 12, 2, 3, 0, 0, DateTimeKind.Utc), "dev", "run-1", "failed", "boom"),
            CreatedAt = new DateTime(2026, 12, 2, 3, 0, 0, DateTimeKind.Utc),
        };
        var document = delivery.ToBsonDocument();
        document["event"].AsBsonDocument.Remove("contacts");
        var channel = new NotificationChannel { Id = "ch-1", Name = "hook", Kind = ChannelKind.Webhook, Url = "https://h", Events = [PortalEventKind.RunFailed], UpdatedBy = "ada" }
            .ToBsonDocument();
        channel["events"] = new BsonArray { (int)PortalEventKind.RunFailed };

        var read = BsonSerializer.Deserialize<NotificationDelivery>(document);

        Assert.Empty(read.Event.Contacts);
        Assert.DoesNotContain("Emergency contacts", new NotificationMessage(read.Event, read.Id, null).Text);
        Assert.Equal([PortalEventKind.RunFailed], BsonSerializer.Deserialize<NotificationChannel>(channel).Events);
    }
}
