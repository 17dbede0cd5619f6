using CodingAgent.Hosting;

namespace CodingAgent.SelfHost.Cli;

/// <summary>The services the command-line verbs use: storage only, configured from the environment like the host.</summary>
internal static class CommandLineHost
{
    public static IHost Build()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddCodingAgent(builder.Configuration, HostProfile.CommandLine);
        return builder.Build();
    }
}
