module corojs-lab/baselines/go

go 1.19
