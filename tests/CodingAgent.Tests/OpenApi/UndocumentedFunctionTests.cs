using CodingAgent.Api.OpenApi;
using CodingAgent.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Tests.OpenApi;

/// <summary>A new HTTP function without <c>[ApiOperation]</c>/<c>[ApiResponse]</c> stops the document from being built.</summary>
public sealed class UndocumentedFunctionTests
{
    [Fact]
    public void Build_ThrowsForAnHttpFunctionWithoutApiAttributes()
    {
        // The test assembly holds exactly one function: the undocumented one below.
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(
            () => OpenApiDocumentBuilder.Build(FunctionCatalog.HttpFunctions(typeof(UndocumentedFunctionTests).Assembly)));
        Assert.Contains(nameof(UndocumentedFunction.Undocumented), error.Message, StringComparison.Ordinal);
        Assert.Contains("[ApiOperation]", error.Message, StringComparison.Ordinal);
    }

    internal sealed class UndocumentedFunction
    {
        [Function(nameof(Undocumented))]
        public IResult Undocumented([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/coding-agent/undocumented")] HttpRequest request) =>
            Results.Ok();
    }
}
