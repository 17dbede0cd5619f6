using System.Text.RegularExpressions;
using CodingAgent.Configuration;

namespace CodingAgent.Application.Requests;

/// <summary>Turns the create body's <c>repository</c> into a clone URL: <c>owner/name</c>, an https URL on an allowed host, or — where allowed — a local path.</summary>
internal static partial class RepositoryLocation
{
    public static (string Display, string CloneUrl)? Resolve(string? repository, RepositoryOptions options, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(repository))
        {
            error = "Required: 'owner/name', an https git URL, or a local path where the deployment allows it.";
            return null;
        }

        if (OwnerName().IsMatch(repository))
        {
            return (repository, $"{options.OwnerNameBase}/{repository}.git");
        }

        if (Uri.TryCreate(repository, UriKind.Absolute, out Uri? uri))
        {
            if (uri.Scheme == Uri.UriSchemeHttps && options.AllowedHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase)
                && string.IsNullOrEmpty(uri.UserInfo) && uri.IsDefaultPort)
            {
                return (repository, uri.AbsoluteUri);
            }

            if (uri.IsFile)
            {
                return LocalPath(uri.LocalPath, repository, options, out error);
            }

            error = $"Only https URLs on {string.Join(", ", options.AllowedHosts)} are allowed, without credentials.";
            return null;
        }

        if (repository.StartsWith('/'))
        {
            return LocalPath(repository, repository, options, out error);
        }

        error = "Use 'owner/name', an https git URL, or an absolute local path.";
        return null;
    }

    private static (string, string)? LocalPath(string path, string display, RepositoryOptions options, out string? error)
    {
        error = null;
        if (!options.AllowLocalPaths)
        {
            error = "Local repositories are not allowed by this deployment (CodingAgent__Repositories__AllowLocalPaths).";
            return null;
        }

        string full = Path.GetFullPath(path);
        if (!Directory.Exists(Path.Combine(full, ".git")) && !File.Exists(Path.Combine(full, "HEAD")))
        {
            error = "No git repository at that path.";
            return null;
        }

        return (display, full);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex OwnerName();
}
