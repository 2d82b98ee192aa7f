namespace LightNvr.Api;

/// <summary>
/// The credentials of POST /api/auth/login: a JSON body {"username","password"} or an HTML form
/// (application/x-www-form-urlencoded); a body that is not JSON is tried as a form, as upstream does.
/// </summary>
public sealed record LoginRequest(string Username, string Password, bool IsForm, string? Error, string? TotpCode = null,
    bool RememberDevice = false)
{
    /// <summary>Upstream reads at most 7 characters of totp_code (6 digits, maybe a space).</summary>
    public const int MaxTotpCodeLength = 7;

    /// <summary>Longest username or password read from a login request (user fields allow 32 and 1024).</summary>
    public const int MaxFieldLength = 1024;

    public static async Task<LoginRequest> ReadAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            return await ReadFormAsync(request).ConfigureAwait(false);
        }
        var (body, _) = await RequestBody.ReadObjectAsync(request).ConfigureAwait(false);
        if (body is null)
        {
            return new LoginRequest("", "", false, "Invalid login data");
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

    private static async Task<LoginRequest> ReadFormAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var username = form["username"].ToString();
        var password = form["password"].ToString();
        return username.Length is 0 or > MaxFieldLength || password.Length is 0 or > MaxFieldLength
            ? new LoginRequest("", "", true, "Missing or invalid username/password")
            : new LoginRequest(username, password, true, null);
    }
}
