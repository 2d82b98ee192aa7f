using System.Text;
using LightNvr.Api.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace LightNvr.Api.Users;

/// <summary>
/// The credentials of POST /api/auth/login: a JSON body {"username","password"} or an HTML form
/// (application/x-www-form-urlencoded); a body that is not JSON is tried as a form, as upstream does. A body that cannot
/// be read at all (too large, not UTF-8, repeated keys) sets <see cref="Refusal"/>: the answer to send as it is, also
/// for a form (a redirect would hide the reason).
/// </summary>
public sealed record LoginRequest(string Username, string Password, bool IsForm, string? Error, string? TotpCode = null,
    bool RememberDevice = false, IResult? Refusal = null)
{
    /// <summary>Upstream reads at most 7 characters of totp_code (6 digits, maybe a space).</summary>
    public const int MaxTotpCodeLength = 7;

    /// <summary>Longest username or password read from a login request (user fields allow 32 and 1024).</summary>
    public const int MaxFieldLength = 1024;

    /// <summary>
    /// Largest login form: two <see cref="MaxFieldLength"/> fields percent-encoded (up to 9 bytes a character for
    /// 3-byte UTF-8) and their names fit, about 18.5 KB.
    /// </summary>
    public const int MaxFormBytes = 32 * 1024;

    public const string InvalidData = "Invalid login data";

    public static async Task<LoginRequest> ReadAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            return await ReadFormAsync(request).ConfigureAwait(false);
        }
        var (body, status, message) = await RequestBody.ReadObjectCoreAsync(request).ConfigureAwait(false);
        if (body is null)
        {
            // Upstream's words for bad JSON; the reason appended when it is more than a syntax error.
            return status == StatusCodes.Status400BadRequest
                ? new LoginRequest("", "", false, message == RequestBody.InvalidJson ? InvalidData : $"{InvalidData}: {message}")
                : new LoginRequest("", "", false, message, Refusal: ApiErrors.Status(status, message!));
        }
        var fields = new RequestFields(body);
        var username = fields.String("username", MaxFieldLength);
        var password = fields.String("password", MaxFieldLength);
        if (fields.Error is not null || string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return new LoginRequest("", "", false, "Missing or invalid username/password");
        }
        var code = fields.String("totp_code", MaxFieldLength);
        var remember = fields.Bool("remember_device") ?? false;
        return new LoginRequest(username, password, false, null,
            code is null ? null : code[..Math.Min(code.Length, MaxTotpCodeLength)], remember);
    }

    /// <summary>
    /// The form read by hand from a bounded body: ASP.NET's form reader buffers up to 4 MB a value and throws on its own
    /// limits (a 500 here before).
    /// </summary>
    private static async Task<LoginRequest> ReadFormAsync(HttpRequest request)
    {
        var (bytes, error) = await RequestBody.ReadBytesAsync(request, MaxFormBytes).ConfigureAwait(false);
        if (bytes is null)
        {
            return new LoginRequest("", "", true, InvalidData, Refusal: error);
        }
        var form = QueryHelpers.ParseNullableQuery(Encoding.UTF8.GetString(bytes));
        var username = form?.GetValueOrDefault("username").ToString() ?? "";
        var password = form?.GetValueOrDefault("password").ToString() ?? "";
        return username.Length is 0 or > MaxFieldLength || password.Length is 0 or > MaxFieldLength
            ? new LoginRequest("", "", true, "Missing or invalid username/password")
            : new LoginRequest(username, password, true, null);
    }
}
