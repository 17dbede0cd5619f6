using System.Net.Sockets;
using CodingAgent.Hosting;
using CodingAgent.Configuration;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;

namespace CodingAgent.SelfHost.Durable;

/// <summary>
/// The embedded engine: DTFx worker over the configured backend, plus the Durable Task gRPC API (ApiServerOnly) on a Unix
/// socket so HTTP functions get the same <see cref="DurableTaskClient"/> they get under Azure Functions.
/// </summary>
internal static class DurableSelfHost
{
    public static WebApplicationBuilder AddDurableSelfHost(this WebApplicationBuilder builder, IReadOnlyList<FunctionEntry> functions)
    {
        string socket = Path.Combine(Path.GetTempPath(), $"coding-agent-{Environment.ProcessId}.sock");
        if (File.Exists(socket))
        {
            File.Delete(socket); // a socket file survives SIGKILL of an earlier process with the same id
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket, l => l.Protocols = HttpProtocols.Http2));
        IServiceCollection services = builder.Services;
        // Without this, gRPC claims every POST /{a}/{b} for its "unimplemented service" answer (POST /api/health → 404).
        services.AddGrpc(o => o.IgnoreUnknownServices = true);
        services.AddSingleton(sp => DurableBackends.Create(sp.GetRequiredService<IOptions<CodingAgentOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => (IOrchestrationServiceClient)sp.GetRequiredService<IOrchestrationService>());
        services.AddSingleton<TaskHubGrpcServer>();
        services.Configure<TaskHubGrpcServerOptions>(o => o.Mode = TaskHubGrpcServerMode.ApiServerOnly);
        services.AddSingleton(_ => new DurableTaskRegistry().AddCatalog(functions));
        services.AddHostedService<DurableWorkerService>();

        services.AddSingleton(_ => UnixSocketChannel(socket));
        services.AddDurableTaskClient(b => b.UseGrpc(_ => { }));
        services.AddOptions<GrpcDurableTaskClientOptions>(Options.DefaultName).Configure<GrpcChannel>((o, channel) => o.Channel = channel);
        return builder;
    }

    public static WebApplication MapDurableSelfHost(this WebApplication app)
    {
        app.MapGrpcService<TaskHubGrpcServer>();
        return app;
    }

    private static GrpcChannel UnixSocketChannel(string path) => GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectCallback = async (_, cancellationToken) =>
            {
                Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        },
    });
}
