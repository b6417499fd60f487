// Placeholder entry point; the commands land with issue 6's CLI work.
return 0;
