using CodingAgent.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodingAgent.Hosting;

/// <summary>
/// Each section of <see cref="CodingAgentOptions"/> as its own <c>IOptions&lt;T&gt;</c>, so a service depends on the settings
/// it reads and nothing else. Every section is the one bound, post-configured and validated (at start) root's own object:
/// the rules that span sections (the host's trust boundary) are checked once, on the whole.
/// </summary>
internal static class OptionSections
{
    public static IServiceCollection AddOptionSections(this IServiceCollection services)
    {
        Add(services, o => o.Storage);
        Add(services, o => o.Durable);
        Add(services, o => o.Sandbox);
        Add(services, o => o.Agent);
        Add(services, o => o.Model);
        Add(services, o => o.Repositories);
        Add(services, o => o.Session);
        Add(services, o => o.Secrets);
        Add(services, o => o.Limits);
        Add(services, o => o.Stream);
        Add(services, o => o.Validation);
        Add(services, o => o.Publishing);
        Add(services, o => o.GitHub);
        Add(services, o => o.Queue);
        Add(services, o => o.Webhooks);
        Add(services, o => o.Telemetry);
        return services;
    }

    private static void Add<TSection>(IServiceCollection services, Func<CodingAgentOptions, TSection> section)
        where TSection : class =>
        services.AddSingleton<IOptions<TSection>>(sp => Options.Create(section(sp.GetRequiredService<IOptions<CodingAgentOptions>>().Value)));
}
