namespace LightNvr.Media.Tests.Rtp;

/// <summary>Random damage for property tests: flip, overwrite, truncate, extend, duplicate or delete bytes.</summary>
internal static class Mutator
{
    public static byte[] Mutate(Random random, byte[] input)
    {
        var bytes = new List<byte>(input);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    var i = random.Next(bytes.Count);
                    bytes[i] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 2 when bytes.Count > 0:
                    var cut = random.Next(bytes.Count);
                    bytes.RemoveRange(cut, bytes.Count - cut); // truncate
                    break;
                case 3:
                    for (var n = random.Next(1, 16); n > 0; n--)
                    {
                        bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    }

                    break;
                case 4 when bytes.Count > 2:
                    var start = random.Next(bytes.Count - 1);
                    bytes.InsertRange(start, bytes.GetRange(start, Math.Min(random.Next(1, 32), bytes.Count - start)));
                    break;
                case 5 when bytes.Count > 2:
                    bytes.RemoveAt(random.Next(bytes.Count));
                    break;
            }
        }

        return bytes.ToArray();
    }
}
