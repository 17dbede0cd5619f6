using CodingAgent.Api.OpenApi;
using CodingAgent.Hosting;
using CodingAgent.SelfHost;
using CodingAgent.SelfHost.Cli;
using CodingAgent.SelfHost.Security;

if (args.Length > 0 && args[0] == KeysCommand.Verb)
{
    return await KeysCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "connector")
{
    // The committed connector (infra/logicapps/connector.swagger.json) is this output.
    Console.WriteLine(ConnectorDocumentBuilder.Build(
        OpenApiDocumentBuilder.Build(FunctionCatalog.HttpFunctions(typeof(Program).Assembly)), ConnectorDocumentBuilder.PlaceholderHost)
        .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    return 0;
}

if (args.Length > 0 && args[0] == AccountsCommand.Verb)
{
    return await AccountsCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

WebApplication app = SelfHostApplication.Build(args);
// Configuration is read: the secrets' copies in the initial environment block (what /proc/<pid>/environ shows) go.
InitialEnvironmentScrub.Run();
await app.RunAsync().ConfigureAwait(false);
return 0;
