using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// The proxies (addresses, or networks in CIDR notation) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the
/// portal believes, from <c>Portal:ForwardedHeaders:KnownProxies</c> and <c>:KnownNetworks</c>. Nobody is trusted
/// unless configured, not even the local host: anyone else could claim any address and https.
/// </summary>
public sealed record TrustedProxies(IReadOnlyList<IPAddress> Proxies, IReadOnlyList<System.Net.IPNetwork> Networks)
{
    public const string Section = "Portal:ForwardedHeaders";

    public bool Any => Proxies.Count > 0 || Networks.Count > 0;

    /// <exception cref="InvalidOperationException">An entry is not an address or a network: the portal does not start.</exception>
    public static TrustedProxies From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new TrustedProxies(
            Entries(section, "KnownProxies").Select(text => IPAddress.TryParse(text, out var address) ? address : throw Invalid("KnownProxies", text, "an IP address")).ToList(),
            Entries(section, "KnownNetworks").Select(text => System.Net.IPNetwork.TryParse(text, out var network) ? network : throw Invalid("KnownNetworks", text, "a network such as 10.0.0.0/8")).ToList());
    }

    public void ApplyTo(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // The defaults trust the loopback addresses; only what is configured is trusted here.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in Proxies) options.KnownProxies.Add(proxy);
        foreach (var network in Networks) options.KnownIPNetworks.Add(network);
    }

    private static IEnumerable<string> Entries(IConfigurationSection section, string key) =>
        section.GetSection(key).GetChildren().Select(child => child.Value?.Trim()).Where(value => !string.IsNullOrEmpty(value))!;

    private static InvalidOperationException Invalid(string key, string text, string expected) =>
        new($"{Section}:{key} holds '{text}', which is not {expected}.");
}
