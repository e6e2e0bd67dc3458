"""The register: what its files hold (``schema``), reading bytes into strings (``textfile``),
typing and checking every cell (``validate``), the checks across files and the loaded, frozen
``Registry`` (``registry``), its snapshot for restarts (``snapshot``) and the generator of the
illustrative project sample (``sample``). Every upload is checked here."""
