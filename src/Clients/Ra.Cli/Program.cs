Console.Error.WriteLine("ra: no commands yet");
return 2;
