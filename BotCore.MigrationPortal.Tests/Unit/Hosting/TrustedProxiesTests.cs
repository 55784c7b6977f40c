using System.Net;
using BotCore.MigrationPortal.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace BotCore.MigrationPortal.Tests.Unit.Hosting;

/// <summary>Portal:ForwardedHeaders as an operator writes it, in appsettings.json or as environment variables.</summary>
public sealed class TrustedProxiesTests
{
    private static TrustedProxies From(params (string Key, string Value)[] settings) =>
        TrustedProxies.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(s => $"{TrustedProxies.Section}:{s.Key}", s => (string?)s.Value)).Build());

    [Fact]
    public void Nothing_configured_trusts_nobody_not_even_the_loopback_defaults()
    {
        var proxies = From();
        var options = new ForwardedHeadersOptions();

        proxies.ApplyTo(options);

        Assert.False(proxies.Any);
        Assert.Empty(options.KnownProxies);
        Assert.Empty(options.KnownIPNetworks);
    }

    [Fact]
    public void Listed_addresses_and_networks_are_trusted_for_the_client_address_and_scheme()
    {
        var proxies = From(("KnownProxies:0", "10.0.0.5"), ("KnownProxies:1", " ::ffff:10.0.0.6 "), ("KnownNetworks:0", "172.16.0.0/12"));
        var options = new ForwardedHeadersOptions();

        proxies.ApplyTo(options);

        Assert.True(proxies.Any);
        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.Parse("::ffff:10.0.0.6")], options.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("172.16.0.0/12")], options.KnownIPNetworks);
        Assert.Equal(Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            options.ForwardedHeaders);
    }

    [Theory]
    [InlineData("KnownProxies:0", "proxy.example", "Portal:ForwardedHeaders:KnownProxies holds 'proxy.example', which is not an IP address.")]
    [InlineData("KnownNetworks:0", "10.0.0.0", "Portal:ForwardedHeaders:KnownNetworks holds '10.0.0.0', which is not a network such as 10.0.0.0/8.")]
    public void An_entry_that_is_not_an_address_stops_the_portal_with_what_to_fix(string key, string value, string message) =>
        Assert.Equal(message, Assert.Throws<InvalidOperationException>(() => From((key, value))).Message);
}
