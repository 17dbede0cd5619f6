using System.Text.Json.Nodes;
using CodingAgent.Api;
using CodingAgent.Api.OpenApi;
using CodingAgent.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

/// <summary>
/// The Logic Apps custom connector (OpenAPI 2.0 with <c>x-ms-*</c> extensions, no auth), produced from the OpenAPI 3.1
/// document; its host is the one that answered. The committed copy is infra/logicapps/connector.swagger.json.
/// </summary>
public sealed class ConnectorFunction
{
    private static readonly Lazy<JsonObject> OpenApiDocument = new(() => OpenApiDocumentBuilder.Build(FunctionCatalog.HttpFunctions(typeof(ConnectorFunction).Assembly)));

    [Function(nameof(Connector))]
    [ApiOperation("The Logic Apps custom connector of this API (OpenAPI 2.0 with x-ms extensions).")]
    [ApiResponse(StatusCodes.Status200OK, typeof(JsonObject), Description = "The connector definition; its host is the host that answered.")]
    public IResult Connector(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Connector)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Results.Json(ConnectorDocumentBuilder.Build(OpenApiDocument.Value, request.Host.Value ?? ConnectorDocumentBuilder.PlaceholderHost));
    }
}
